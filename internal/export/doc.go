// Package export turns a kit (samples laid out on pads, with pad settings)
// into files an SP-404 loads, and brings device files back as a kit.
//
// Three targets are written (design §8, spec sp404-formats.md):
//
//   - TargetMK2: IMPORT/<KIT>/A01_NAME.wav … as 48 kHz 16-bit PCM WAVs plus
//     kit.txt, for the MKII's IMPORT SAMPLE. The safest route: only the
//     device's documented import is involved, but pad settings are not
//     carried.
//   - TargetMK2Project: EXPORT/PROJECT/PROJECT_NN/ with PADCONF.BIN
//     (version 3), SMPL/BANKb-pp.SMP and an empty PTN/, for IMPORT PROJECT.
//     Every pad setting of the kit is written.
//   - TargetSX: ROLAND/SP-404SX/SMPL/ with PAD_INFO.BIN and A0000001.WAV …
//     J0000012.WAV (44.1 kHz 16-bit, RLND chunk). Pads 13–16 do not exist
//     on the SX and are reported as skipped.
//
// The flow is Plan → Export: Plan validates the kit and decodes every
// sample once to learn its exact output length, so every problem (ranges,
// missing or undecodable files, samples too long for the device, clashing
// pads, a destination that is not new) is reported at once, before anything
// is written, and the metadata files are built in full. Export then
// converts samples in parallel (decode → trim → normalise → resample with
// audio.Resampler → TPDF dither to 16 bits, mono kept mono) while the
// calling goroutine streams them, in pad order, into a new folder or a new
// ZIP. Output is deterministic: dither is seeded per pad and ZIP entries
// carry a fixed time.
//
// ImportKit reads an MKII project, an SX/A card tree or a ZIP of either
// back into a Kit; the device records travel in Pad.MK2Base, Pad.SXBase and
// Kit.MK2Header so that exporting the imported kit reproduces PADCONF.BIN
// and PAD_INFO.BIN byte for byte. Inspect decodes single device files or
// whole trees into JSON-friendly reports.
//
// The package holds no state between calls; everything it needs arrives in
// its arguments.
package export
