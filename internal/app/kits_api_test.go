package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

type padJSON struct {
	Bank       string `json:"bank"`
	Pad        int    `json:"pad"`
	SampleID   int64  `json:"sample_id"`
	SampleName string `json:"sample_name"`
	Settings   struct {
		Level    int     `json:"level"`
		Pitch    int     `json:"pitch"`
		Speed    int     `json:"speed"`
		PlayMode string  `json:"play_mode"`
		Loop     bool    `json:"loop"`
		Gate     bool    `json:"gate"`
		Bus      int     `json:"bus"`
		Hold     int     `json:"hold"`
		Chops    []int64 `json:"chops"`
	} `json:"settings"`
}

type kitJSON struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	Device      string      `json:"device"`
	BPM         float64     `json:"bpm"`
	BankVolumes [10]int     `json:"bank_volumes"`
	BankTempos  [10]float64 `json:"bank_tempos"`
	PadCount    int         `json:"pad_count"`
	Pads        []padJSON   `json:"pads"`
}

func (k kitJSON) pad(bank string, pad int) *padJSON {
	for i := range k.Pads {
		if k.Pads[i].Bank == bank && k.Pads[i].Pad == pad {
			return &k.Pads[i]
		}
	}
	return nil
}

func TestKitsAndPads(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		smp := s.uploadIDs(t, "drums", 3)
		for _, id := range smp {
			s.waitAnalysed(id) // trims are checked against the analysed length
		}

		var kit kitJSON
		r := s.sendJSON("POST", "/api/v1/kits", `{"name":"Boom Bap Kit","bpm":92}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create = %d %s", r.status, r.body)
		}
		r.json(t, &kit)
		if kit.Device != "mk2" || kit.BPM != 92 || kit.BankVolumes[0] != 127 || kit.PadCount != 0 {
			t.Fatalf("created %+v", kit)
		}
		base := fmt.Sprintf("/api/v1/kits/%d", kit.ID)

		// Assign with defaults, then with settings; a sample may sit on many pads.
		if r = s.sendJSON("PUT", base+"/pads/A/1", fmt.Sprintf(`{"sample_id":%d}`, smp[0])); r.status != 200 {
			t.Fatalf("set A1 = %d %s", r.status, r.body)
		}
		r = s.sendJSON("PUT", base+"/pads/b/16", fmt.Sprintf(`{"sample_id":%d,"settings":{"level":100,"pitch":-3,"loop":true,"play_mode":"reverse"}}`, smp[0]))
		r.json(t, &kit)
		a1, b16 := kit.pad("A", 1), kit.pad("B", 16)
		if a1 == nil || a1.Settings.Level != 127 || a1.Settings.Speed != 100 || !a1.Settings.Gate || a1.Settings.Bus != 1 || a1.Settings.Hold != 100 {
			t.Fatalf("A1 defaults = %+v", a1)
		}
		if b16 == nil || b16.Settings.Level != 100 || b16.Settings.Pitch != -3 || !b16.Settings.Loop || b16.Settings.PlayMode != "reverse" || b16.SampleName != "s0.wav" {
			t.Fatalf("B16 = %+v", b16)
		}
		// Replacing the sample keeps the pad's settings.
		r = s.sendJSON("PUT", base+"/pads/B/16", fmt.Sprintf(`{"sample_id":%d}`, smp[1]))
		r.json(t, &kit)
		if b16 = kit.pad("B", 16); b16.SampleID != smp[1] || b16.Settings.Pitch != -3 {
			t.Fatalf("replaced B16 = %+v", b16)
		}

		// Move onto an empty pad, refuse onto a filled one, swap when asked.
		s.sendJSON("PUT", base+"/pads/A/2", fmt.Sprintf(`{"sample_id":%d}`, smp[2]))
		r = s.sendJSON("POST", base+"/pads/A/1/move", `{"to_bank":"C","to_pad":5}`)
		r.json(t, &kit)
		if r.status != 200 || kit.pad("A", 1) != nil || kit.pad("C", 5).SampleID != smp[0] {
			t.Fatalf("move = %d %s", r.status, r.body)
		}
		if r = s.sendJSON("POST", base+"/pads/C/5/move", `{"to_bank":"A","to_pad":2}`); r.status != http.StatusConflict {
			t.Fatalf("move onto filled = %d, want 409", r.status)
		}
		r = s.sendJSON("POST", base+"/pads/C/5/move", `{"to_bank":"A","to_pad":2,"swap":true}`)
		r.json(t, &kit)
		if kit.pad("A", 2).SampleID != smp[0] || kit.pad("C", 5).SampleID != smp[2] || kit.PadCount != 3 {
			t.Fatalf("swap: %+v", kit.Pads)
		}

		// The sample shows the pads that use it; deleting it is a conflict unless forced.
		var uses struct {
			Items []struct {
				KitID int64  `json:"kit_id"`
				Bank  string `json:"bank"`
				Pad   int    `json:"pad"`
			}
		}
		s.getJSON(fmt.Sprintf("/api/v1/samples/%d/kits", smp[0]), &uses)
		if len(uses.Items) != 1 || uses.Items[0].Bank != "A" || uses.Items[0].Pad != 2 {
			t.Fatalf("uses = %+v", uses)
		}
		if r = s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d", smp[0]), nil, nil); r.status != http.StatusConflict || !strings.Contains(string(r.body), "Boom Bap Kit A2") {
			t.Fatalf("delete in use = %d %s", r.status, r.body)
		}
		if r = s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d?force=true", smp[0]), nil, nil); r.status != http.StatusNoContent {
			t.Fatalf("forced delete = %d %s", r.status, r.body)
		}
		s.getJSON(base, &kit)
		if kit.pad("A", 2) != nil || kit.PadCount != 2 {
			t.Fatalf("pad of a force-deleted sample still there: %+v", kit.Pads)
		}

		// Clear a pad; switching to the SX with pad 16 filled is a conflict.
		if r = s.sendJSON("PATCH", base, `{"device":"sx"}`); r.status != http.StatusConflict {
			t.Fatalf("retarget with pad 16 filled = %d, want 409", r.status)
		}
		if r = s.do("DELETE", base+"/pads/B/16", nil, nil); r.status != 200 {
			t.Fatalf("clear = %d", r.status)
		}
		r = s.sendJSON("PATCH", base, `{"device":"sx","bank_volumes":[100,100,100,100,100,100,100,100,100,0],"bank_tempos":[0,0,0,0,0,0,0,0,0,120]}`)
		r.json(t, &kit)
		if r.status != 200 || kit.Device != "sx" || kit.BankVolumes[9] != 0 || kit.BankTempos[9] != 120 {
			t.Fatalf("patch = %d %s", r.status, r.body)
		}

		// Bad input: clear problems and nothing changes.
		for _, tt := range []struct {
			method, path, body string
			want               int
		}{
			{"PUT", base + "/pads/K/1", fmt.Sprintf(`{"sample_id":%d}`, smp[1]), 422},
			{"PUT", base + "/pads/A/13", fmt.Sprintf(`{"sample_id":%d}`, smp[1]), 422}, // the SX has 12 pads
			{"PUT", base + "/pads/A/0", fmt.Sprintf(`{"sample_id":%d}`, smp[1]), 422},
			{"PUT", base + "/pads/A/1", `{"sample_id":999999}`, 404},
			{"PUT", base + "/pads/A/1", fmt.Sprintf(`{"sample_id":%d,"settings":{"level":128}}`, smp[1]), 422},
			{"PUT", base + "/pads/A/1", fmt.Sprintf(`{"sample_id":%d,"settings":{"pitch":13}}`, smp[1]), 422},
			{"PUT", base + "/pads/A/1", fmt.Sprintf(`{"sample_id":%d,"settings":{"speed":200}}`, smp[1]), 422},
			{"PUT", base + "/pads/A/1", fmt.Sprintf(`{"sample_id":%d,"settings":{"play_mode":"sideways"}}`, smp[1]), 422},
			{"PUT", base + "/pads/A/1", fmt.Sprintf(`{"sample_id":%d,"settings":{"chops":[100,50]}}`, smp[1]), 422},
			{"PUT", base + "/pads/A/1", fmt.Sprintf(`{"sample_id":%d,"settings":{"start_frame":99999999}}`, smp[1]), 422},
			{"PUT", "/api/v1/kits/999999/pads/A/1", fmt.Sprintf(`{"sample_id":%d}`, smp[1]), 404},
			{"POST", base + "/pads/A/3/move", `{"to_bank":"A","to_pad":4}`, 404},
			{"POST", "/api/v1/kits", `{"name":"x","device":"mpc"}`, 422},
			{"POST", "/api/v1/kits", `{"name":"x","bpm":500}`, 422},
			{"PATCH", base, `{"bank_volumes":[1,2,3,4,5,6,7,8,9,300]}`, 422},
			{"PATCH", base, `{"bank_tempos":[0,0,0,0,0,0,0,0,0,20]}`, 422},
			{"GET", "/api/v1/kits/999999", ``, 404},
		} {
			if r := s.sendJSON(tt.method, tt.path, tt.body); r.status != tt.want {
				t.Errorf("%s %s %s = %d %s, want %d", tt.method, tt.path, tt.body, r.status, r.body, tt.want)
			}
		}
		var after kitJSON
		s.getJSON(base, &after)
		if after.PadCount != 1 || after.pad("C", 5) == nil || after.BankVolumes[9] != 0 {
			t.Fatalf("kit changed by bad requests: %+v", after)
		}
		if r = s.do("DELETE", base, nil, nil); r.status != http.StatusNoContent {
			t.Fatalf("delete kit = %d", r.status)
		}
		var page pageJSON
		s.getJSON("/api/v1/samples", &page)
		if page.Total != 2 {
			t.Fatalf("samples after deleting the kit = %d, want 2", page.Total)
		}
	})
}
