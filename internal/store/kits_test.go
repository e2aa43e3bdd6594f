package store_test

import (
	"context"
	"testing"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// ReplacePads writes all of its pads or none: a chop that fails on its last slice leaves the kit
// as it was.
func TestReplacePadsIsAllOrNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		a, b := newSample(1, "a.wav"), newSample(2, "b.wav")
		for _, smp := range []*library.Sample{a, b} {
			if _, err := s.InsertSample(ctx, smp, nil); err != nil {
				t.Fatal(err)
			}
		}
		k := &library.Kit{Name: "Kit", Device: "mk2", BPM: 90}
		if err := s.CreateKit(ctx, k); err != nil {
			t.Fatal(err)
		}
		pad := func(n int, sampleID int64) library.Pad {
			return library.Pad{Bank: "A", Pad: n, SampleID: sampleID, Settings: library.DefaultPadSettings()}
		}
		if err := s.AddPads(ctx, k.ID, []library.Pad{pad(1, a.ID), pad(2, a.ID)}); err != nil {
			t.Fatal(err)
		}
		// The third pad names a sample that does not exist: nothing may change.
		if err := s.ReplacePads(ctx, k.ID, []library.Pad{pad(1, b.ID), pad(2, b.ID), pad(3, 999)}); err == nil {
			t.Fatal("replacing with a missing sample succeeded")
		}
		got, err := s.Kit(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Pads) != 2 || got.Pads[0].SampleID != a.ID || got.Pads[1].SampleID != a.ID {
			t.Fatalf("after a failed replace the kit holds %+v", got.Pads)
		}
		if err := s.ReplacePads(ctx, k.ID, []library.Pad{pad(2, b.ID), pad(3, b.ID)}); err != nil {
			t.Fatal(err)
		}
		if got, err = s.Kit(ctx, k.ID); err != nil || len(got.Pads) != 3 || got.Pads[0].SampleID != a.ID ||
			got.Pads[1].SampleID != b.ID || got.Pads[2].SampleID != b.ID {
			t.Fatalf("after replacing A2 and A3: %+v %v", got, err)
		}
	})
}
