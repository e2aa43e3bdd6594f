// Package audio conventions, decoders and encoders are described below; resampling, dither,
// trimming and normalisation are documented on their functions.
//
// # Buffer convention
//
// A Buffer is planar float32: Data[c][i] is frame i of channel c. Full scale is 1.0, so an
// integer sample n of b bits becomes n / 2^(b-1): the most negative integer maps to exactly
// -1.0 and the most positive to just under +1.0. In particular:
//
//   - 8-bit WAV is unsigned with 128 as silence; the offset is removed before scaling, so
//     byte 0 is -1.0 and 255 is 127/128. 8-bit AIFF is signed and needs no offset.
//   - 24-bit samples are sign-extended from their three bytes before scaling.
//   - 32-bit integers are scaled the same way; float32 keeps 24 bits of mantissa, so a
//     32-bit file's lowest bits are rounded (the float32 → int32 → float32 round trip is
//     exact, the int32 → float32 → int32 one is not).
//   - Float files are passed through unscaled and unclipped: values beyond ±1.0 survive
//     decoding, and writers clip them only when producing integers.
//   - A-law and µ-law expand to 16-bit linear first (ITU-T G.711) and scale as 16-bit.
//   - MP3, FLAC and Vorbis arrive from their libraries as integers or floats with the same
//     full scale.
//
// # Decoding
//
// Decode and DecodeFile pick the decoder from the file's magic bytes (Detect), never from its
// name. Every length a header declares is checked against the bytes really present before
// anything is allocated from it, so a 1 KB file claiming 4 GB of audio costs about 1 KB; a
// Decoder's MaxFrames and MaxBytes refuse inputs that are large for real (ErrTooLarge).
// Unsupported inputs wrap ErrUnsupportedFormat and undecodable ones ErrMalformed; panics
// inside the third-party codecs are recovered into ErrMalformed.
//
// WAV and AIFF/AIFC are read by this package: PCM of 8 to 32 bits, float32/float64,
// WAVE_FORMAT_EXTENSIBLE, G.711, odd-sized chunks with their pad byte, data chunks sized
// 0xFFFFFFFF by streaming writers and truncated files (whole frames up to the end are kept).
// An empty data chunk decodes to a zero-frame Buffer, as the file says; a compressed stream
// without a single decodable frame is ErrMalformed.
// FLAC (RFC 9639) is read by this package too, checked against github.com/mewkiz/flac in the
// tests; Ogg Vorbis uses github.com/jfreymuth/oggvorbis.
//
// MP3 (MPEG-1 and MPEG-2 Layer III) is decoded by this package in float32, checked in the
// tests against mpg123 to a few hundredths of a 16-bit step. The standard's Huffman tables and
// synthesis window are recovered from github.com/hajimehoshi/go-mp3 by a test that probes it
// with frames built bit by bit; go-mp3 also decodes the rare streams that use intensity stereo.
// MPEG-2.5 is not read. A stream keeps the channel count of its first frame header. ID3v2
// tags (v2.2–2.4, stacked or not) are parsed here and skipped, as is an ID3v1 trailer. Gapless
// playback follows LAME's convention: the Xing/Info frame is not decoded as audio, and when it
// carries a LAME extension the first encoder delay + 529 samples are dropped (529 is the
// synthesis filterbank's own delay, present in every decoder's output) and the length is cut to
// frames × samples-per-frame − delay − padding, which restores the source length exactly.
// Files without a LAME extension are returned untrimmed, since their encoder delay is unknown.
//
// # Metadata
//
// Metadata collects what files say about themselves. TempoBPM comes from an acid chunk, ID3v2
// TBPM or a Vorbis BPM/TEMPO comment; Key from ID3v2 TKEY or Vorbis KEY/INITIALKEY; RootNote
// from an acid chunk's root note, else a smpl chunk's MIDI unity note, else an inst/INST base
// note; RLNDPad from the SP-404SX's RLND chunk (WAV) or RLND application chunk (AIFF).
// SourceTags uses one vocabulary for every format: "title", "artist", "album", "genre",
// "date", "comment", "copyright", "software", plus lower-cased RIFF INFO ids for the rest.
// Malformed metadata is ignored field by field and never fails a decode.
//
// # Encoding
//
// EncodeWAV and EncodeAIFF stream a Buffer out in 16-, 24- or 32-bit PCM, 8-bit or float32,
// converting block by block. Conversion to integers rounds half away from zero and clips;
// dither is not applied here. A caller reducing bit depth (for example to 16 bits for the
// SP-404) dithers first, e.g. Quantize16 with a NewDither source per channel, stores the
// results back as n/32768, and then encodes: values already on the target grid are written
// unchanged, so the writer's rounding never adds a second, undithered quantisation.
package audio
