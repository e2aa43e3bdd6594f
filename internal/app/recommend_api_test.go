package app_test

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

func TestRecommendCompleteBuildAndChop(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		upload := func(name string, seconds float64, freq float64) int64 {
			data := encode(t, 44100, seconds, 0.7, false, func(x float64) float64 { return math.Sin(2*math.Pi*freq*x) * math.Exp(-x*3) })
			r := s.upload(part{"file", name, data})
			if r.status != http.StatusCreated {
				t.Fatalf("%s: %d", name, r.status)
			}
			var up struct{ Items []sampleJSON }
			r.json(t, &up)
			s.waitAnalysed(up.Items[0].ID)
			return up.Items[0].ID
		}
		// The user's corrections set the categories, so the test does not depend on the classifier.
		cat := func(id int64, c string) {
			if r := s.sendJSON("PATCH", fmt.Sprintf("/api/v1/samples/%d", id), fmt.Sprintf(`{"category":%q}`, c)); r.status != 200 {
				t.Fatalf("patch: %d %s", r.status, r.body)
			}
		}
		kick1, kick2 := upload("kick1.wav", 0.4, 55), upload("kick2.wav", 0.4, 60)
		snare := upload("snare.wav", 0.3, 200)
		hat := upload("hat.wav", 0.1, 5000)
		loop := upload("loop.wav", 2, 110)
		cat(kick1, "kick")
		cat(kick2, "kick")
		cat(snare, "snare")
		cat(hat, "hat_closed")
		cat(loop, "drums")

		var kit kitJSON
		s.sendJSON("POST", "/api/v1/kits", `{"name":"Rec","bpm":90}`).json(t, &kit)
		base := fmt.Sprintf("/api/v1/kits/%d", kit.ID)
		var recs struct {
			Items []struct {
				Reasons []string
				Sample  sampleJSON
			}
		}
		if st := s.getJSON(base+"/recommendations?bank=A&pad=1", &recs); st != 200 || len(recs.Items) != 2 {
			t.Fatalf("recommendations = %d %+v", st, recs)
		}
		for _, r := range recs.Items {
			if r.Sample.ID != kick1 && r.Sample.ID != kick2 || !strings.Contains(strings.Join(r.Reasons, ";"), "kick pad") {
				t.Errorf("recommended %+v for the kick pad", r)
			}
		}
		if st := s.getJSON(base+"/recommendations?bank=A&pad=1&role=banjo", nil); st != 422 {
			t.Errorf("bad role = %d", st)
		}

		// Complete bank A: kick, snare, closed hat find samples; the rest stay empty.
		var done struct {
			Filled, Empty []string
			Kit           kitJSON
		}
		if r := s.sendJSON("POST", base+"/complete", `{"bank":"A"}`); r.status != 200 {
			t.Fatalf("complete = %d %s", r.status, r.body)
		} else {
			r.json(t, &done)
		}
		slices.Sort(done.Filled)
		if !slices.Equal(done.Filled, []string{"A1", "A11", "A2", "A3"}) || done.Kit.pad("A", 3).SampleID != hat {
			t.Fatalf("complete filled %v (empty %v)", done.Filled, done.Empty)
		}
		// Recommendations never repeat a sample the kit holds.
		s.getJSON(base+"/recommendations?bank=B&pad=1", &recs)
		if len(recs.Items) != 1 {
			t.Fatalf("after complete, kick recommendations = %+v", recs.Items)
		}

		// Build a kit from a selection: drums on their pads, overflow to the next bank.
		var built struct {
			Kit       kitJSON
			NotPlaced []int64 `json:"not_placed"`
		}
		r := s.sendJSON("POST", "/api/v1/kits/build", fmt.Sprintf(`{"name":"Built","sample_ids":[%d,%d,%d,%d,%d]}`, loop, kick1, snare, kick2, hat))
		if r.status != http.StatusCreated {
			t.Fatalf("build = %d %s", r.status, r.body)
		}
		r.json(t, &built)
		k := built.Kit
		if k.pad("A", 1).SampleID != kick1 || k.pad("B", 1).SampleID != kick2 || k.pad("A", 2).SampleID != snare ||
			k.pad("A", 3).SampleID != hat || k.pad("A", 4).SampleID != loop || len(built.NotPlaced) != 0 {
			t.Fatalf("built layout = %+v", k.Pads)
		}

		// The preview says where a chop would cut and changes nothing.
		var preview struct {
			Points     []int64 `json:"points"`
			Frames     int64   `json:"frames"`
			SampleRate int     `json:"sample_rate"`
		}
		chopURL := fmt.Sprintf("/api/v1/samples/%d/chop", loop)
		if st := s.getJSON(chopURL+"?mode=equal&slices=4", &preview); st != 200 {
			t.Fatalf("chop preview = %d", st)
		}
		if !slices.Equal(preview.Points, []int64{0, 22050, 44100, 66150}) || preview.Frames != 88200 || preview.SampleRate != 44100 {
			t.Fatalf("chop preview = %+v", preview)
		}
		for _, q := range []string{"?mode=equal&slices=1", "?mode=equal&slices=17", "?mode=banjo&slices=4", "?slices=4"} {
			if st := s.getJSON(chopURL+q, nil); st != 422 {
				t.Errorf("chop preview %s = %d, want 422", q, st)
			}
		}
		if st := s.getJSON("/api/v1/samples/999999/chop?mode=equal&slices=4", nil); st != 404 {
			t.Errorf("chop preview of an unknown sample = %d, want 404", st)
		}
		var before kitJSON
		s.getJSON(base, &before)

		// Chop the loop into 4 equal pads on bank C, and as a chop table on D1.
		r = s.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/chop", loop), fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"C"}`, kit.ID))
		if r.status != 200 {
			t.Fatalf("chop = %d %s", r.status, r.body)
		}
		var chopped struct {
			Pads []struct {
				Bank       string
				Pad        int
				SampleID   int64 `json:"sample_id"`
				SampleRate int   `json:"sample_rate"`
				Settings   struct {
					Start int64   `json:"start_frame"`
					End   int64   `json:"end_frame"`
					Chops []int64 `json:"chops"`
				}
			}
		}
		r.json(t, &chopped)
		// Each pad holds a slice: a sample of its own playing a region of the loop, whole.
		var starts []int64
		var frames int64
		for _, p := range chopped.Pads {
			if p.Bank != "C" {
				continue
			}
			if p.SampleRate != 44100 || p.SampleID == loop || p.Settings.Start != 0 || p.Settings.End != 0 {
				t.Errorf("pad C%d = %+v, want a slice at 44100 Hz played whole", p.Pad, p)
			}
			var slice struct {
				SourceID    *int64 `json:"source_id"`
				RegionStart *int64 `json:"region_start_frame"`
				RegionEnd   *int64 `json:"region_end_frame"`
				Frames      int64
			}
			s.getJSON(fmt.Sprintf("/api/v1/samples/%d", p.SampleID), &slice)
			if slice.SourceID == nil || *slice.SourceID != loop || *slice.RegionEnd-*slice.RegionStart != slice.Frames {
				t.Fatalf("pad C%d sample = %+v, want a slice of %d", p.Pad, slice, loop)
			}
			starts = append(starts, *slice.RegionStart)
			frames += slice.Frames
		}
		if n := len(chopped.Pads) - len(before.Pads); n != 4 {
			t.Errorf("the chop filled %d pads, want 4 (the preview none)", n)
		}
		if !slices.Equal(starts, []int64{0, 22050, 44100, 66150}) || frames != 88200 {
			t.Fatalf("slice starts = %v, %d frames in all", starts, frames)
		}
		r = s.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/chop", loop), fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"D","table":true}`, kit.ID))
		r.json(t, &chopped)
		for _, p := range chopped.Pads {
			if p.Bank == "D" && !slices.Equal(p.Settings.Chops, []int64{0, 22050, 44100, 66150}) {
				t.Fatalf("chop table = %v", p.Settings.Chops)
			}
		}
		if r := s.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/chop", loop), fmt.Sprintf(`{"mode":"equal","slices":8,"kit_id":%d,"bank":"E","start_pad":12}`, kit.ID)); r.status != 422 {
			t.Fatalf("chop past the bank = %d", r.status)
		}
	})
}
