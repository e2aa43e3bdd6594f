package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// newSlice is frames [start, end) of orig, as a chop makes it.
func newSlice(orig *library.Sample, n int, start, end int64) *library.Sample {
	smp := newSample(100+n, fmt.Sprintf("%s slice %02d", orig.FileName, n))
	smp.ContentHash = fmt.Sprintf("%s-%d-%d", orig.ContentHash[:16], start, end)
	smp.BlobKey, smp.SizeBytes, smp.Format = orig.BlobKey, orig.SizeBytes, orig.Format
	smp.Frames, smp.SampleRate, smp.Channels = end-start, 48000, 1
	smp.SourceID, smp.RegionStart, smp.RegionEnd = &orig.ID, &start, &end
	return smp
}

func TestSlicesOfAnOriginal(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		loop, other := newSample(1, "loop.wav"), newSample(2, "other.wav")
		for _, smp := range []*library.Sample{loop, other} {
			if _, err := s.InsertSample(ctx, smp, nil); err != nil {
				t.Fatal(err)
			}
		}
		k := &library.Kit{Name: "Kit", Device: "mk2", BPM: 90}
		if err := s.CreateKit(ctx, k); err != nil {
			t.Fatal(err)
		}
		pads := func(bank string, from, n int) []library.Pad {
			out := make([]library.Pad, n)
			for i := range out {
				out[i] = library.Pad{Bank: bank, Pad: from + i, Settings: library.DefaultPadSettings()}
			}
			return out
		}
		count := func() int {
			_, n, err := s.Samples(ctx, library.SampleFilter{Sort: "created", Page: 1, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A failure on the last pad leaves neither slices nor pads (their jobs rolled back with them).
		var queued []int64
		job := func(_ context.Context, _ *sql.Tx, id int64) error { queued = append(queued, id); return nil }
		bad := pads("A", 1, 2)
		bad[1].Bank = "Z"
		if _, err := s.InsertSlices(ctx, k.ID, []*library.Sample{newSlice(loop, 1, 0, 10), newSlice(loop, 2, 10, 20)}, bad, job); err == nil {
			t.Fatal("a chop onto bank Z succeeded")
		}
		if got, _ := s.Kit(ctx, k.ID); count() != 2 || len(got.Pads) != 0 {
			t.Fatalf("a failed chop left %d samples and pads %+v", count(), got.Pads)
		}
		if _, err := s.InsertSlices(ctx, 999, []*library.Sample{newSlice(loop, 1, 0, 10)}, pads("A", 1, 1), job); library.ErrorCode(err) != library.CodeNotFound {
			t.Fatalf("chop onto a missing kit: %v", err)
		}
		if count() != 2 {
			t.Fatal("a chop onto a missing kit stored a slice")
		}

		queued = nil
		cuts := []*library.Sample{newSlice(loop, 1, 0, 10), newSlice(loop, 2, 10, 20)}
		created, err := s.InsertSlices(ctx, k.ID, cuts, pads("A", 1, 2), job)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{cuts[0].ID, cuts[1].ID}
		if !slices.Equal(created, ids) || !slices.Equal(queued, ids) {
			t.Fatalf("created %v, queued %v; want %v", created, queued, ids)
		}
		got, err := s.Sample(ctx, cuts[1].ID)
		if err != nil || !got.IsSlice() || *got.SourceID != loop.ID || *got.RegionStart != 10 || *got.RegionEnd != 20 ||
			got.Frames != 10 || got.BlobKey != loop.BlobKey {
			t.Fatalf("slice read back = %+v, %v", got, err)
		}
		if src, err := s.StartAnalysis(ctx, cuts[1].ID); err != nil || src != (library.AnalysisSource{
			Name: "loop.wav slice 02", BlobKey: loop.BlobKey, RegionStart: 10, RegionEnd: 20,
		}) {
			t.Fatalf("StartAnalysis of a slice = %+v, %v", src, err)
		}
		// The same regions again: the stored slices, no new row, no new job.
		queued = nil
		again := []*library.Sample{newSlice(loop, 1, 0, 10), newSlice(loop, 2, 10, 20)}
		created, err = s.InsertSlices(ctx, k.ID, again, pads("B", 3, 2), job)
		if err != nil || len(created) != 0 || len(queued) != 0 || again[0].ID != ids[0] || again[1].ID != ids[1] {
			t.Fatalf("chop again: created %v, queued %v, ids %d %d, %v", created, queued, again[0].ID, again[1].ID, err)
		}
		if kit, _ := s.Kit(ctx, k.ID); len(kit.Pads) != 4 || kit.Pads[3].SampleID != ids[1] {
			t.Fatalf("pads = %+v", kit.Pads)
		}

		// The original's file is in use while a slice reads it.
		if unused, err := s.UnusedBlobs(ctx, []string{loop.BlobKey, "ab/cd/gone"}); err != nil || !slices.Equal(unused, []string{"ab/cd/gone"}) {
			t.Fatalf("UnusedBlobs = %v, %v", unused, err)
		}
		// Duplicates cannot merge an original away from under its slices.
		if _, err := s.MergeSamples(ctx, other.ID, []int64{loop.ID}); library.ErrorCode(err) != library.CodeConflict {
			t.Fatalf("merge an original with slices: %v, want conflict", err)
		}
		// Deleting the original is a conflict unless its slices go too.
		if _, err := s.DeleteSample(ctx, loop.ID, false); library.ErrorCode(err) != library.CodeConflict {
			t.Fatalf("delete an original with slices: %v, want conflict", err)
		}
		if count() != 4 {
			t.Fatal("a refused delete removed samples")
		}
		removed, err := s.DeleteSample(ctx, loop.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		var removedIDs []int64
		for _, smp := range removed {
			removedIDs = append(removedIDs, smp.ID)
		}
		if !slices.Equal(removedIDs, []int64{loop.ID, ids[0], ids[1]}) {
			t.Fatalf("removed %v", removedIDs)
		}
		if kit, _ := s.Kit(ctx, k.ID); count() != 1 || len(kit.Pads) != 0 {
			t.Fatalf("after the forced delete: %d samples, pads %+v", count(), kit.Pads)
		}
		if unused, err := s.UnusedBlobs(ctx, []string{loop.BlobKey, other.BlobKey}); err != nil || !slices.Equal(unused, []string{loop.BlobKey}) {
			t.Fatalf("UnusedBlobs after the delete = %v, %v", unused, err)
		}
	})
}

// The database itself keeps a slice from outliving its original and from a region that is not
// one.
func TestSliceConstraints(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		loop := newSample(1, "loop.wav")
		if _, err := s.InsertSample(ctx, loop, nil); err != nil {
			t.Fatal(err)
		}
		backwards := newSlice(loop, 1, 20, 10)
		if _, err := s.InsertSample(ctx, backwards, nil); err == nil {
			t.Error("a slice ending before it starts was stored")
		}
		orphan := newSlice(loop, 2, 0, 10)
		missing := int64(999)
		orphan.SourceID = &missing
		if _, err := s.InsertSample(ctx, orphan, nil); err == nil {
			t.Error("a slice of a missing sample was stored")
		}
	})
}
