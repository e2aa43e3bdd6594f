// Package midi writes the Standard MIDI Files the benchmark tools render with FluidSynth.
package midi

import (
	"bytes"
	"encoding/binary"
	"math"
	"sort"
)

// ticksPerBeat is the Standard MIDI File division the generator writes.
const ticksPerBeat = 480

// Event is one channel or meta event at an absolute tick.
type Event struct {
	Tick int
	Data []byte // status byte and data, or 0xFF type len data for meta events
}

// Song is a one-track MIDI sequence under construction.
type Song struct {
	BPM    float64
	Events []Event
}

// Program sets channel ch to General MIDI program p (0-based).
func (s *Song) Program(ch, p int) {
	s.Events = append(s.Events, Event{0, []byte{0xC0 | byte(ch), byte(p)}})
}

// Detune bends channel ch by cents (FluidSynth's default bend range is ±2 semitones).
func (s *Song) Detune(ch int, cents float64) {
	v := int(math.Round(8192 + cents/200*8192))
	v = max(0, min(16383, v))
	s.Events = append(s.Events, Event{0, []byte{0xE0 | byte(ch), byte(v & 0x7F), byte(v >> 7)}})
}

// Note plays note n on channel ch from beat start for dur beats at velocity vel.
func (s *Song) Note(ch, n int, start, dur float64, vel int) {
	on := int(math.Round(start * ticksPerBeat))
	off := int(math.Round((start + dur) * ticksPerBeat))
	s.Events = append(s.Events,
		Event{on, []byte{0x90 | byte(ch), byte(n), byte(vel)}},
		Event{off, []byte{0x80 | byte(ch), byte(n), 0}})
}

// SMF encodes the song as a format-0 Standard MIDI File whose track ends at endBeat.
func (s *Song) SMF(endBeat float64) []byte {
	ev := append([]Event(nil), s.Events...)
	us := int(math.Round(60e6 / s.BPM))
	ev = append(ev, Event{0, []byte{0xFF, 0x51, 3, byte(us >> 16), byte(us >> 8), byte(us)}})
	// Meta and program events first, then note-offs before note-ons at the same tick.
	rank := func(e Event) int {
		switch e.Data[0] & 0xF0 {
		case 0xF0:
			return 0
		case 0xC0, 0xE0:
			return 1
		case 0x80:
			return 2
		}
		return 3
	}
	sort.SliceStable(ev, func(i, j int) bool {
		if ev[i].Tick != ev[j].Tick {
			return ev[i].Tick < ev[j].Tick
		}
		return rank(ev[i]) < rank(ev[j])
	})
	var trk bytes.Buffer
	last := 0
	for _, e := range ev {
		writeVLQ(&trk, e.Tick-last)
		last = e.Tick
		trk.Write(e.Data)
	}
	end := max(last, int(math.Round(endBeat*ticksPerBeat)))
	writeVLQ(&trk, end-last)
	trk.Write([]byte{0xFF, 0x2F, 0})

	var f bytes.Buffer
	f.WriteString("MThd")
	_ = binary.Write(&f, binary.BigEndian, []uint32{6})
	_ = binary.Write(&f, binary.BigEndian, []uint16{0, 1, ticksPerBeat})
	f.WriteString("MTrk")
	_ = binary.Write(&f, binary.BigEndian, uint32(trk.Len()))
	f.Write(trk.Bytes())
	return f.Bytes()
}

// writeVLQ writes v as a MIDI variable-length quantity.
func writeVLQ(b *bytes.Buffer, v int) {
	var tmp [5]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7F)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7F) | 0x80
	}
	b.Write(tmp[i:])
}
