package audio

import (
	"errors"
	"fmt"
)

// ErrUnsupportedFormat reports input whose magic bytes match none of the formats the library
// accepts. The HTTP layer maps it to 415 Unsupported Media Type.
var ErrUnsupportedFormat = errors.New("audio: unsupported format")

// DetectHeaderSize is how many leading bytes Detect needs to recognise every format; fewer work
// for most files, but an MP3 without an ID3 tag is checked more strictly when the next frame
// header is within reach.
const DetectHeaderSize = 4096

// Detect identifies the container from its leading bytes alone, never from a file name: a
// renamed file is still recognised and a text file called kick.wav is still refused. It returns
// an error wrapping ErrUnsupportedFormat when nothing matches.
func Detect(header []byte) (Format, error) {
	switch {
	case len(header) >= 12 && string(header[0:4]) == "RIFF" && string(header[8:12]) == "WAVE":
		return FormatWAV, nil
	case len(header) >= 12 && string(header[0:4]) == "FORM" &&
		(string(header[8:12]) == "AIFF" || string(header[8:12]) == "AIFC"):
		return FormatAIFF, nil
	case len(header) >= 4 && string(header[0:4]) == "fLaC":
		return FormatFLAC, nil
	case isOggVorbis(header):
		return FormatOGG, nil
	case len(header) >= 10 && string(header[0:3]) == "ID3" && header[3] >= 2 && header[3] <= 4 &&
		syncsafeOK(header[6:10]):
		return FormatMP3, nil
	case looksLikeMP3Frames(header):
		return FormatMP3, nil
	}
	return "", fmt.Errorf("detect: %w", ErrUnsupportedFormat)
}

// isOggVorbis checks for an Ogg page whose first packet is a Vorbis identification header, so
// Ogg Opus or Ogg FLAC (which the decoders cannot read) are reported as unsupported.
func isOggVorbis(h []byte) bool {
	if len(h) < 27 || string(h[0:4]) != "OggS" || h[4] != 0 {
		return false
	}
	nseg := int(h[26])
	start := 27 + nseg
	if len(h) < start+7 {
		return false
	}
	return h[start] == 1 && string(h[start+1:start+7]) == "vorbis"
}

// syncsafeOK reports whether the four bytes form a valid ID3v2 syncsafe integer (top bit of
// each byte clear), which rejects most text that merely starts with "ID3".
func syncsafeOK(b []byte) bool {
	return b[0]&0x80 == 0 && b[1]&0x80 == 0 && b[2]&0x80 == 0 && b[3]&0x80 == 0
}

// looksLikeMP3Frames checks for an MPEG-1/2/2.5 Layer III frame header at offset 0 and, when the
// header slice reaches that far, a second frame header where the first frame ends. Two headers
// in a row make a false positive on arbitrary binary data unlikely.
func looksLikeMP3Frames(h []byte) bool {
	fh, ok := parseMP3Header(h)
	if !ok {
		return false
	}
	if fh.frameSize <= 4 {
		return false
	}
	if len(h) >= fh.frameSize+4 {
		next, ok := parseMP3Header(h[fh.frameSize:])
		return ok && next.sampleRate == fh.sampleRate && next.version == fh.version
	}
	return true
}

// mp3Header is the part of an MPEG audio frame header the decoder needs.
type mp3Header struct {
	version    int // 1 = MPEG-1, 2 = MPEG-2, 25 = MPEG-2.5
	sampleRate int
	bitrate    int // bits per second
	mono       bool
	mode       int // 0 stereo, 1 joint stereo, 2 dual channel, 3 mono
	modeExt    int // joint stereo: bit 1 M/S, bit 0 intensity
	padding    bool
	frameSize  int // bytes including the header
	sideInfo   int // bytes of side information after the 4-byte header (no CRC)
	crc        bool
	samples    int // samples per channel in one frame
}

// channels is how many channels the frame codes.
func (h mp3Header) channels() int {
	if h.mono {
		return 1
	}
	return 2
}

// granules is how many granules of 576 samples the frame holds: 2 in MPEG-1, 1 in MPEG-2.
func (h mp3Header) granules() int { return h.samples / mp3Lines }

// mp3Bitrates holds Layer III bitrates in kbit/s: row 0 MPEG-1, row 1 MPEG-2 and 2.5.
var mp3Bitrates = [2][16]int{
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
}

// mp3Rates holds sample rates for MPEG-1, indexed by the header's rate field.
var mp3Rates = [3]int{44100, 48000, 32000}

// parseMP3Header decodes a Layer III frame header. Free-format (bitrate index 0) is refused
// because its frame length cannot be derived from the header and go-mp3 does not support it.
func parseMP3Header(b []byte) (mp3Header, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return mp3Header{}, false
	}
	var h mp3Header
	switch (b[1] >> 3) & 3 {
	case 0:
		h.version = 25
	case 2:
		h.version = 2
	case 3:
		h.version = 1
	default:
		return mp3Header{}, false
	}
	if (b[1]>>1)&3 != 1 { // Layer III only
		return mp3Header{}, false
	}
	h.crc = b[1]&1 == 0
	bri := int(b[2] >> 4)
	sri := int(b[2]>>2) & 3
	if bri == 0 || bri == 15 || sri == 3 || b[3]&3 == 2 {
		return mp3Header{}, false
	}
	h.padding = b[2]&2 != 0
	h.mode, h.modeExt = int(b[3]>>6), int(b[3]>>4)&3
	h.mono = h.mode == 3
	h.sampleRate = mp3Rates[sri]
	row := 0
	switch h.version {
	case 2:
		h.sampleRate /= 2
		row = 1
	case 25:
		h.sampleRate /= 4
		row = 1
	}
	h.bitrate = mp3Bitrates[row][bri] * 1000
	pad := 0
	if h.padding {
		pad = 1
	}
	if h.version == 1 {
		h.samples = 1152
		h.frameSize = 144*h.bitrate/h.sampleRate + pad
		h.sideInfo = 32
		if h.mono {
			h.sideInfo = 17
		}
	} else {
		h.samples = 576
		h.frameSize = 72*h.bitrate/h.sampleRate + pad
		h.sideInfo = 17
		if h.mono {
			h.sideInfo = 9
		}
	}
	return h, true
}
