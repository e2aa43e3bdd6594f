package library

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultRoles is the device-style layout of a bank: the drum kit on the first eight pads (as on
// the SP-404's bank of one-shots), then bass, melodic, a drum loop, vocal and effects. A role is a
// category.
var DefaultRoles = [16]string{
	"kick", "snare", "hat_closed", "hat_open", "clap", "perc", "tom", "cymbal",
	"bass", "melodic", "drums", "vocal", "fx", "perc", "melodic", "fx",
}

// Recommendation is a sample suggested for a pad, with why.
type Recommendation struct {
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
	Sample  Sample   `json:"sample"`
}

// recommendPool bounds how many candidates of a role are scored.
const recommendPool = 500

// Recommend suggests samples for a pad: its role (the default layout unless given), tempo and key
// that fit the kit, timbre like the samples already on the bank, never a sample the kit holds.
func (s *Service) Recommend(ctx context.Context, kitID int64, bank string, pad int, role string, limit int) ([]Recommendation, error) {
	k, ref, err := s.kitPad(ctx, kitID, bank, pad)
	if err != nil {
		return nil, err
	}
	if limit < 1 || limit > 50 {
		return nil, Errorf(CodeInvalid, "limit must be between 1 and 50")
	}
	if role == "" {
		role = DefaultRoles[ref.Pad-1]
	}
	if !slices.Contains(Categories, role) {
		return nil, Errorf(CodeInvalid, "role %q is not a category (%s)", role, strings.Join(Categories, ", "))
	}
	return s.recommend(ctx, k, ref, role, limit, nil)
}

func (s *Service) recommend(ctx context.Context, k *Kit, ref PadRef, role string, limit int, taken map[int64]bool) ([]Recommendation, error) {
	onKit := map[int64]bool{}
	var neighbours []int64
	for _, p := range k.Pads {
		onKit[p.SampleID] = true
		if b, _ := ParseBank(p.Bank); b == ref.Bank {
			neighbours = append(neighbours, p.SampleID)
		}
	}
	for id := range taken {
		onKit[id] = true
	}
	key, scale := kitKey(ctx, s, k)
	cands, _, err := s.store.Samples(ctx, SampleFilter{
		Rules: Rules{Categories: []string{role}}, State: StateDone, Sort: "created", Desc: true, Page: 1, Limit: recommendPool,
	})
	if err != nil {
		return nil, err
	}
	var out []Recommendation
	for _, c := range cands {
		if onKit[c.ID] {
			continue
		}
		r := Recommendation{Sample: c, Reasons: []string{"fits the " + role + " pad"}}
		score := 1.0
		if c.BPM != nil && k.BPM > 0 {
			if f, label := tempoFit(*c.BPM, k.BPM); f > 0 {
				score += f
				r.Reasons = append(r.Reasons, label)
			} else {
				score -= 0.5
			}
		}
		if key != "" && c.Key != nil && c.Scale != nil {
			if f, label := keyFit(*c.Key, *c.Scale, key, scale); f > 0 {
				score += f
				r.Reasons = append(r.Reasons, label)
			} else {
				score -= 0.5
			}
		}
		if sim := s.similar.meanSimilarity(c.ID, "timbre", neighbours); sim > 0.3 {
			score += sim
			r.Reasons = append(r.Reasons, fmt.Sprintf("timbre close to the bank (%.2f)", sim))
		}
		if c.Favorite {
			score += 0.3
			r.Reasons = append(r.Reasons, "a favourite")
		}
		score += 0.1 * float64(c.Rating)
		r.Score = math.Round(score*1000) / 1000
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b Recommendation) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return int(a.Sample.ID - b.Sample.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []Recommendation{}
	}
	return out, nil
}

// tempoFit scores a sample tempo against the kit's: the same, or half/double time.
func tempoFit(bpm, kit float64) (float64, string) {
	for _, m := range []struct {
		f     float64
		label string
	}{{1, "at the kit's tempo"}, {2, "half time of the kit"}, {0.5, "double time of the kit"}} {
		if d := math.Abs(bpm*m.f-kit) / kit; d <= 0.03 {
			return 1 - d*10, fmt.Sprintf("%s (%.1f BPM)", m.label, bpm)
		}
	}
	return 0, ""
}

// keyFit scores a key against the kit's: the same, relative, or a fifth away.
func keyFit(key, scale, kitKey, kitScale string) (float64, string) {
	r := Rules{Keys: []string{kitKey}, Scale: kitScale}
	if slices.Contains(r.KeyMatches(), KeyScale{key, scale}) {
		return 1, "in the kit's key (" + key + " " + scale + ")"
	}
	r.CompatibleKeys = true
	if slices.Contains(r.KeyMatches(), KeyScale{key, scale}) {
		return 0.6, "in a key compatible with " + kitKey + " " + kitScale
	}
	return 0, ""
}

// kitKey is the most common key of the kit's pitched samples, "" when none.
func kitKey(ctx context.Context, s *Service, k *Kit) (string, string) {
	count := map[KeyScale]int{}
	var best KeyScale
	for _, p := range k.Pads {
		smp, err := s.store.Sample(ctx, p.SampleID)
		if err != nil || smp.Key == nil || smp.Scale == nil {
			continue
		}
		ks := KeyScale{*smp.Key, *smp.Scale}
		count[ks]++
		if count[ks] > count[best] || (count[ks] == count[best] && ks.Key < best.Key) {
			best = ks
		}
	}
	return best.Key, best.Scale
}

// meanSimilarity is a sample's mean cosine similarity to others in an aspect (0 with none).
func (x *SimilarityIndex) meanSimilarity(id int64, aspect string, others []int64) float64 {
	if len(others) == 0 {
		return 0
	}
	x.mu.Lock()
	if x.z == nil || len(x.z) != len(x.raw) || x.stale > max(16, len(x.ids)/50) {
		x.rebuild()
	}
	x.mu.Unlock()
	x.mu.RLock()
	defer x.mu.RUnlock()
	qi, ok := x.pos[id]
	if !ok {
		return 0
	}
	rng := Aspects[aspect]
	d := x.dims
	q := x.z[qi*d+rng[0] : qi*d+rng[1]]
	qn := x.norms[aspect][qi]
	var sum float64
	n := 0
	for _, o := range others {
		oi, ok := x.pos[o]
		if !ok || qn == 0 || x.norms[aspect][oi] == 0 {
			continue
		}
		sum += float64(dot(q, x.z[oi*d+rng[0]:oi*d+rng[1]])) / (float64(qn) * float64(x.norms[aspect][oi]))
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// CompleteResult is what filling a bank did.
type CompleteResult struct {
	Kit    *Kit     `json:"kit"`
	Filled []string `json:"filled" doc:"Pads filled, e.g. A3"`
	Empty  []string `json:"empty" doc:"Pads left empty: no sample of their role in the library"`
}

// CompleteBank fills the empty pads of a bank with the best recommendation for each pad's role.
func (s *Service) CompleteBank(ctx context.Context, kitID int64, bank string) (*CompleteResult, error) {
	k, err := s.store.Kit(ctx, kitID)
	if err != nil {
		return nil, err
	}
	b, err := ParseBank(bank)
	if err != nil {
		return nil, err
	}
	filled := map[int]bool{}
	for _, p := range k.Pads {
		if pb, _ := ParseBank(p.Bank); pb == b {
			filled[p.Pad] = true
		}
	}
	res := &CompleteResult{Filled: []string{}, Empty: []string{}}
	taken := map[int64]bool{}
	for pad := 1; pad <= PadsPerBank(k.Device); pad++ {
		if filled[pad] {
			continue
		}
		ref := PadRef{Bank: b, Pad: pad}
		recs, err := s.recommend(ctx, k, ref, DefaultRoles[pad-1], 1, taken)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			res.Empty = append(res.Empty, ref.String())
			continue
		}
		id := recs[0].Sample.ID
		if _, err := s.SetPad(ctx, kitID, BankLetter(b), pad, PadInput{SampleID: id}); err != nil {
			return nil, err
		}
		taken[id] = true
		res.Filled = append(res.Filled, ref.String())
	}
	if res.Kit, err = s.store.Kit(ctx, kitID); err != nil {
		return nil, err
	}
	return res, nil
}

// BuildKitInput makes a kit from a collection or a selection of samples.
type BuildKitInput struct {
	Name         string  `json:"name" minLength:"1" maxLength:"64"`
	Device       string  `json:"device,omitempty" enum:"mk2,sx,"`
	BPM          float64 `json:"bpm,omitempty" minimum:"0" maximum:"200"`
	CollectionID int64   `json:"collection_id,omitempty" minimum:"0"`
	SampleIDs    []int64 `json:"sample_ids,omitempty" maxItems:"1000"`
}

// BuildKitResult is the new kit and what did not fit.
type BuildKitResult struct {
	Kit       *Kit    `json:"kit"`
	NotPlaced []int64 `json:"not_placed" doc:"Samples left out: every pad was taken"`
}

// BuildKit lays samples out on a new kit: drums on their conventional pads (kick on 1, snare on
// 2 …), then loops and melodic sounds on the remaining pads, bank after bank, and reports what did
// not fit.
func (s *Service) BuildKit(ctx context.Context, in BuildKitInput) (*BuildKitResult, error) {
	var ids []int64
	switch {
	case in.CollectionID > 0 && len(in.SampleIDs) > 0:
		return nil, Errorf(CodeInvalid, "give collection_id or sample_ids, not both")
	case in.CollectionID > 0:
		id := in.CollectionID
		for page := 1; ; page++ {
			smps, total, err := s.store.Samples(ctx, SampleFilter{CollectionID: &id, Sort: "created", Page: page, Limit: MaxPageLimit})
			if err != nil {
				return nil, err
			}
			for _, smp := range smps {
				ids = append(ids, smp.ID)
			}
			if page*MaxPageLimit >= total {
				break
			}
		}
	default:
		if err := checkIDs(in.SampleIDs); err != nil {
			return nil, err
		}
		ids = in.SampleIDs
	}
	k, err := (&KitInput{Name: in.Name, Device: in.Device, BPM: in.BPM}).NewKit()
	if err != nil {
		return nil, err
	}
	per := PadsPerBank(k.Device)
	used := map[PadRef]bool{}
	type placed struct {
		ref PadRef
		id  int64
	}
	var layout []placed
	var rest, notPlaced []int64
	// Drums first, each on its role's pad in the first bank that has it free.
	for _, id := range ids {
		smp, err := s.store.Sample(ctx, id)
		if err != nil {
			return nil, err
		}
		cat := ""
		if smp.Category != nil {
			cat = *smp.Category
		}
		pad := slices.Index(DefaultRoles[:8], cat) + 1
		if pad == 0 {
			rest = append(rest, id)
			continue
		}
		ok := false
		for b := 0; b < Banks && !ok; b++ {
			if r := (PadRef{b, pad}); !used[r] {
				used[r], ok = true, true
				layout = append(layout, placed{r, id})
			}
		}
		if !ok {
			rest = append(rest, id)
		}
	}
	// Everything else on the free pads, in order.
	next := PadRef{0, 1}
	for _, id := range rest {
		for next.Bank < Banks && used[next] {
			next = advance(next, per)
		}
		if next.Bank >= Banks {
			notPlaced = append(notPlaced, id)
			continue
		}
		used[next] = true
		layout = append(layout, placed{next, id})
	}
	if err := s.store.CreateKit(ctx, k); err != nil {
		return nil, err
	}
	pads := make([]Pad, 0, len(layout))
	for _, p := range layout {
		pads = append(pads, Pad{Bank: BankLetter(p.ref.Bank), Pad: p.ref.Pad, SampleID: p.id, Settings: DefaultPadSettings()})
	}
	if err := s.store.AddPads(ctx, k.ID, pads); err != nil {
		return nil, err
	}
	out, err := s.store.Kit(ctx, k.ID)
	if notPlaced == nil {
		notPlaced = []int64{}
	}
	return &BuildKitResult{Kit: out, NotPlaced: notPlaced}, err
}

func advance(r PadRef, per int) PadRef {
	if r.Pad < per {
		return PadRef{r.Bank, r.Pad + 1}
	}
	return PadRef{r.Bank + 1, 1}
}

// ChopInput splits a loop across pads, or writes chop points onto one pad.
type ChopInput struct {
	Mode     string `json:"mode" enum:"onsets,equal" doc:"Cut at detected onsets or into equal parts"`
	Slices   int    `json:"slices" minimum:"2" maximum:"16"`
	KitID    int64  `json:"kit_id" minimum:"1"`
	Bank     string `json:"bank" pattern:"^[A-Ja-j]$"`
	StartPad int    `json:"start_pad,omitempty" minimum:"1" maximum:"16" doc:"First pad of the slices (pads mode); the pad (table mode)"`
	Table    bool   `json:"table,omitempty" doc:"Write the chop points onto one pad (the MKII's chop table) instead of one slice per pad"`
}

// ChopPreview is where a chop would cut a sample, without changing any kit.
type ChopPreview struct {
	Points     []int64 `json:"points" doc:"Slice starts in frames, ascending, the first at 0; onsets may give fewer than asked"`
	Frames     int64   `json:"frames" doc:"Length of the sample in frames"`
	SampleRate int     `json:"sample_rate"`
}

// ChopPoints tells where Chop would cut the sample, so a user can see the slices before any pad
// changes.
func (s *Service) ChopPoints(ctx context.Context, sampleID int64, mode string, slices int) (*ChopPreview, error) {
	smp, points, err := s.chopSample(ctx, sampleID, mode, slices)
	if err != nil {
		return nil, err
	}
	return &ChopPreview{Points: points, Frames: smp.Frames, SampleRate: smp.SampleRate}, nil
}

// Chop cuts a sample into slices at onsets or equal divisions. Each slice becomes a sample of its
// own that plays a region of the original's file (no audio is copied), is analysed like any new
// sample, and goes on its pad with the default settings; chopping the same region again reuses
// its slice. Chopping a slice cuts its region of the original. With Table the points go into one
// pad's chop table instead, and no sample is made.
func (s *Service) Chop(ctx context.Context, sampleID int64, in ChopInput) (*Kit, error) {
	smp, points, err := s.chopSample(ctx, sampleID, in.Mode, in.Slices)
	if err != nil {
		return nil, err
	}
	start := max(in.StartPad, 1)
	if in.Table {
		st := DefaultPadSettings()
		st.Chops = points
		return s.SetPad(ctx, in.KitID, in.Bank, start, PadInput{SampleID: sampleID, Settings: settingsPatch(st)})
	}
	if _, err := ParseBank(in.Bank); err != nil {
		return nil, err
	}
	k, err := s.store.Kit(ctx, in.KitID)
	if err != nil {
		return nil, err
	}
	if start+len(points)-1 > PadsPerBank(k.Device) {
		return nil, Errorf(CodeInvalid, "%d slices from pad %d do not fit a bank of %d pads", len(points), start, PadsPerBank(k.Device))
	}
	// A slice of a slice is a region of the same original: slices always point at a file's owner.
	root, offset := smp, int64(0)
	if smp.IsSlice() {
		if root, err = s.store.Sample(ctx, *smp.SourceID); err != nil {
			return nil, err
		}
		offset = *smp.RegionStart
	}
	now := time.Now().UTC().Truncate(time.Microsecond) // what PostgreSQL keeps
	cuts := make([]*Sample, len(points))
	pads := make([]Pad, len(points))
	for i, p := range points {
		end := smp.Frames
		if i+1 < len(points) {
			end = points[i+1]
		}
		cuts[i] = newSlice(root, smp, i+1, offset+p, offset+end, now)
		pads[i] = Pad{Bank: in.Bank, Pad: start + i, Settings: DefaultPadSettings()}
	}
	// One transaction: a failure leaves neither new slices nor a half-chopped kit.
	created, err := s.store.InsertSlices(ctx, in.KitID, cuts, pads, s.analysisJobTx())
	if err != nil {
		return nil, err
	}
	for _, id := range created {
		if err := s.enqueueAnalysisAfter(ctx, id); err != nil {
			// The slice is stored as pending; the next sweep of pending samples finds it.
			s.log.Warn("enqueue analysis", "sample_id", id, "err", err)
		}
	}
	return s.store.Kit(ctx, in.KitID)
}

// newSlice is slice n of from (a sample or a slice of root): frames [start, end) of root's file.
// Its content hash is derived from root's and the region, so the same cut is stored once.
func newSlice(root, from *Sample, n int, start, end int64, now time.Time) *Sample {
	sum := sha256.Sum256(fmt.Appendf(nil, "slice\x00%s\x00%d\x00%d", root.ContentHash, start, end))
	frames := end - start
	smp := &Sample{
		FileName: sliceName(from.FileName, n), ContentHash: hex.EncodeToString(sum[:]),
		BlobKey: root.BlobKey, Format: root.Format, SizeBytes: root.SizeBytes,
		Frames: frames, SampleRate: root.SampleRate, Channels: root.Channels, BitDepth: root.BitDepth,
		AnalysisState: StatePending, BPMSource: "none", Tags: slices.Clone(from.Tags),
		SourceID: &root.ID, RegionStart: &start, RegionEnd: &end, CreatedAt: now, UpdatedAt: now,
	}
	if root.SampleRate > 0 {
		smp.DurationS = float64(frames) / float64(root.SampleRate)
	}
	return smp
}

// sliceName is "<stem> slice NN<ext>" of a file name, within MaxNameLen.
func sliceName(name string, n int) string {
	ext := extOf(name)
	suffix := fmt.Sprintf(" slice %02d%s", n, ext)
	stem := []rune(strings.TrimSuffix(name, ext))
	if room := MaxNameLen - utf8.RuneCountInString(suffix); len(stem) > room {
		stem = stem[:room]
	}
	return string(stem) + suffix
}

// chopSample checks a chop request and loads the sample and its slice starts.
func (s *Service) chopSample(ctx context.Context, sampleID int64, mode string, slices int) (*Sample, []int64, error) {
	if slices < 2 || slices > 16 {
		return nil, nil, Errorf(CodeInvalid, "slices must be between 2 and 16")
	}
	if mode != "onsets" && mode != "equal" {
		return nil, nil, Errorf(CodeInvalid, "mode must be onsets or equal")
	}
	smp, err := s.store.Sample(ctx, sampleID)
	if err != nil {
		return nil, nil, err
	}
	if smp.AnalysisState != StateDone || smp.Frames == 0 {
		return nil, nil, Errorf(CodeConflict, "sample %d is not analysed yet", sampleID)
	}
	points, err := s.chopPoints(ctx, smp, mode, slices)
	if err != nil {
		return nil, nil, err
	}
	return smp, points, nil
}

// chopPoints are slice starts in frames, ascending, the first at 0.
func (s *Service) chopPoints(ctx context.Context, smp *Sample, mode string, slices int) ([]int64, error) {
	n := int64(slices)
	points := make([]int64, 0, n)
	if mode == "equal" {
		for i := range n {
			points = append(points, smp.Frames*i/n)
		}
		return points, nil
	}
	onsets, err := s.store.SampleOnsets(ctx, smp.ID)
	if err != nil {
		return nil, err
	}
	points = append(points, 0)
	minGap := int64(float64(smp.SampleRate) * 0.05) // slices shorter than 50 ms are not useful
	for _, t := range onsets {
		f := int64(t * float64(smp.SampleRate))
		if f-points[len(points)-1] >= minGap && smp.Frames-f >= minGap && len(points) < slices {
			points = append(points, f)
		}
	}
	if len(points) < 2 {
		return nil, Errorf(CodeConflict, "sample %d has too few onsets to chop; use mode equal", smp.ID)
	}
	return points, nil
}

func settingsPatch(st PadSettings) *PadSettingsPatch {
	return &PadSettingsPatch{
		Level: &st.Level, Speed: &st.Speed, PlayMode: &st.PlayMode, Gate: &st.Gate, Bus: &st.Bus, Hold: &st.Hold,
		Start: &st.Start, End: &st.End, Chops: &st.Chops,
	}
}
