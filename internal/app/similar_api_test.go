package app_test

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// encode renders fn (time → sample) at rate as a WAV or AIFF file.
func encode(t *testing.T, rate int, seconds float64, gain float64, aiff bool, fn func(t float64) float64) []byte {
	t.Helper()
	buf := audio.NewBuffer(rate, 1, int(seconds*float64(rate)))
	for i := range buf.Data[0] {
		buf.Data[0][i] = float32(gain * fn(float64(i)/float64(rate)))
	}
	var out bytes.Buffer
	var err error
	if aiff {
		err = audio.EncodeAIFF(&out, buf, audio.PCM16)
	} else {
		err = audio.EncodeWAV(&out, buf, audio.PCM16)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func kick(t float64) float64 {
	return math.Sin(2*math.Pi*(50*t+50*(1-math.Exp(-t*20))))*math.Exp(-t*8) + 0.05*math.Sin(2*math.Pi*3000*t)*math.Exp(-t*60)
}

func pad(t float64) float64 {
	return 0.3 * (math.Sin(2*math.Pi*220*t) + math.Sin(2*math.Pi*277.18*t) + math.Sin(2*math.Pi*329.63*t))
}

func TestSimilarAndDuplicates(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		upload := func(name string, data []byte) int64 {
			r := s.upload(part{"file", name, data})
			if r.status != http.StatusCreated {
				t.Fatalf("%s: %d %s", name, r.status, r.body)
			}
			var up struct{ Items []sampleJSON }
			r.json(t, &up)
			s.waitAnalysed(up.Items[0].ID)
			return up.Items[0].ID
		}
		k1 := upload("kick.wav", encode(t, 44100, 0.6, 0.8, false, kick))
		kAIFF := upload("kick.aiff", encode(t, 44100, 0.6, 0.8, true, kick))        // same audio, other container
		kQuiet := upload("kick quiet.wav", encode(t, 48000, 0.6, 0.4, false, kick)) // -6 dB, resampled
		p1 := upload("pad.wav", encode(t, 44100, 2, 0.8, false, pad))
		p2 := upload("pad minor.wav", encode(t, 44100, 2, 0.8, false, func(t float64) float64 {
			return 0.3 * (math.Sin(2*math.Pi*220*t) + math.Sin(2*math.Pi*261.63*t) + math.Sin(2*math.Pi*329.63*t))
		}))

		var sim struct {
			Items []struct {
				Score  float64
				Sample sampleJSON
			}
		}
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/similar?limit=4", p1), &sim); st != 200 || len(sim.Items) != 4 {
			t.Fatalf("similar = %d %+v", st, sim)
		}
		if sim.Items[0].Sample.ID != p2 {
			t.Errorf("most similar to the pad is %d, want the other pad %d (%+v)", sim.Items[0].Sample.ID, p2, sim.Items)
		}
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/similar?aspect=timbre&limit=1", k1), &sim); st != 200 {
			t.Fatalf("similar timbre = %d", st)
		}
		if id := sim.Items[0].Sample.ID; id != kAIFF && id != kQuiet {
			t.Errorf("most similar timbre to the kick is %d, want one of the kick copies", id)
		}
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/similar?aspect=smell", k1), nil); st != 422 {
			t.Errorf("bad aspect = %d, want 422", st)
		}

		var dups struct {
			Items []struct {
				Kind    string
				Score   float64
				Samples []sampleJSON
			}
		}
		s.getJSON("/api/v1/duplicates", &dups)
		var exact, near []int64
		for _, g := range dups.Items {
			for _, smp := range g.Samples {
				if g.Kind == "exact" {
					exact = append(exact, smp.ID)
				} else {
					near = append(near, smp.ID)
				}
			}
		}
		if len(exact) != 2 || exact[0] != k1 || exact[1] != kAIFF {
			t.Errorf("exact groups = %+v, want the WAV and AIFF kicks", dups.Items)
		}
		if len(near) != 2 || near[0] != k1 || near[1] != kQuiet {
			t.Errorf("near groups = %+v, want the kick and its quieter, resampled copy", dups.Items)
		}

		// Resolving needs confirmation; then pads move to the kept sample.
		var kit kitJSON
		s.sendJSON("POST", "/api/v1/kits", `{"name":"K"}`).json(t, &kit)
		s.sendJSON("PUT", fmt.Sprintf("/api/v1/kits/%d/pads/A/1", kit.ID), fmt.Sprintf(`{"sample_id":%d}`, kAIFF))
		body := fmt.Sprintf(`{"keep_id":%d,"remove_ids":[%d]}`, k1, kAIFF)
		if r := s.sendJSON("POST", "/api/v1/duplicates/resolve", body); r.status != 422 {
			t.Fatalf("unconfirmed resolve = %d", r.status)
		}
		body = fmt.Sprintf(`{"keep_id":%d,"remove_ids":[%d],"confirm":true}`, k1, kAIFF)
		if r := s.sendJSON("POST", "/api/v1/duplicates/resolve", body); r.status != 200 {
			t.Fatalf("resolve = %d %s", r.status, r.body)
		}
		s.getJSON(fmt.Sprintf("/api/v1/kits/%d", kit.ID), &kit)
		if kit.pad("A", 1) == nil || kit.pad("A", 1).SampleID != k1 {
			t.Fatalf("pad after resolve = %+v", kit.Pads)
		}
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d", kAIFF), nil); st != 404 {
			t.Fatalf("removed duplicate still there: %d", st)
		}
	})
}
