// Package sp404 reads and writes the files Roland SP-404 samplers keep on
// their SD cards, so that a kit built on a computer can be loaded by the
// hardware and a card can be brought back into the library.
//
// Two families are covered:
//
//   - SP-404MKII projects: PADCONF.BIN (Padconf, version 3 and the older
//     version 2), the RFWV sample files SMPL/BANKb-pp.SMP (SMP, SMPWriter),
//     and the project folder that holds them (Project, WriteProject,
//     ReadProject).
//   - SP-404SX and SP-404A cards: PAD_INFO.BIN (PadInfo, SXPad) and the
//     card samples A0000001.WAV … J0000012.WAV, RIFF WAVE or AIFF files
//     carrying Roland's RLND chunk (WriteRLNDWAV, WriteRLNDAIFF,
//     DecodeSXSample).
//
// The layouts follow docs/sp404-formats.md, whose test vectors and golden
// hashes of device-written files are the package's tests. Readers keep every
// field whose meaning is unknown, so decoding a device file and encoding it
// again gives the same bytes; writers start from the values the firmware
// writes for a fresh project and only change what the caller sets.
//
// Readers never trust sizes claimed inside a file: they allocate for the
// bytes actually present, and they return descriptive errors instead of
// panicking on hostile input (each reader has a fuzz test).
//
// Pads are numbered the way the files number them: MKII pad index
// bank×16 + pad − 1 (A1 = 0 … J16 = 159), SX pad index bank×12 + pad − 1
// (A1 = 0 … J12 = 119), with bank 0 = A. Start, end and loop points in
// both families are byte offsets into the sample file, whose audio begins
// at byte 512; FrameOffset and OffsetFrame convert.
//
// The package is a leaf: it does no resampling or format conversion.
// Callers hand it 16-bit PCM at the device's rate (48 kHz for the MKII,
// 44.1 kHz for the SX).
package sp404
