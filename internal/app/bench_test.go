package app_test

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// seedSamples bulk-inserts n analysed samples with multi-row INSERTs in one transaction. It writes
// SQL directly because going through the API would make the setup take longer than the benchmark.
func seedSamples(b *testing.B, target storetest.Target, n int) {
	b.Helper()
	ctx := context.Background()
	driver, dsn := "sqlite", strings.TrimPrefix(target.URL, "sqlite://")
	if target.Kind == config.Postgres {
		driver, dsn = "pgx", target.URL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cats := []string{"kick", "snare", "clap", "hat_closed", "hat_open", "perc", "bass", "melodic", "vocal", "fx", "drums"}
	keys := []string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}
	words := []string{"dusty", "crisp", "warm", "dark", "lofi", "vinyl", "tight", "punchy", "airy", "gritty"}
	// Tags come from their own generator so the rest of the library is the same as before tags
	// were seeded: most samples carry one to three, a few none.
	tagRng := rand.New(rand.NewPCG(3, 4))
	tagPool := []string{"boom bap", "soul", "jazz", "trap", "chopped", "live", "analog", "dilla", "house", "funk", "gospel", "ambient"}
	const batch = 500
	bulk := bulkFeatures()
	seeded := make([]library.Sample, 0, n)
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for start := 0; start < n; start += batch {
		var sb strings.Builder
		var args []any
		sb.WriteString(`INSERT INTO samples (content_hash, file_name, name_lower, blob_key, format, size_bytes,
 duration_s, frames, sample_rate, channels, bit_depth, sample_type, category, category_confidence, bpm,
 bpm_confidence, bpm_source, musical_key, scale, key_confidence, loudness_lufs, true_peak_dbtp, peak_dbfs,
 spectral, analysis_version, analysis_state, favorite, created_at, updated_at, search_terms,
 peaks, onsets, similarity, fingerprint) VALUES `)
		for i := start; i < min(start+batch, n); i++ {
			if i > start {
				sb.WriteString(",")
			}
			sb.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			cat := cats[rng.IntN(len(cats))]
			typ, dur := "one-shot", 0.1+rng.Float64()
			var bpm, key, scale any
			if cat == "drums" || cat == "melodic" || rng.IntN(4) == 0 {
				typ, dur, bpm = "loop", 2+rng.Float64()*14, 70+float64(rng.IntN(110))
			}
			if cat == "melodic" || cat == "bass" || cat == "vocal" {
				key, scale = keys[rng.IntN(12)], []string{"major", "minor"}[rng.IntN(2)]
			}
			name := fmt.Sprintf("%s %s %05d.wav", words[rng.IntN(len(words))], cat, i)
			var tags []string
			for range tagRng.IntN(4) {
				if t := tagPool[tagRng.IntN(len(tagPool))]; !slices.Contains(tags, t) {
					tags = append(tags, t)
				}
			}
			slices.Sort(tags)
			smp := library.Sample{FileName: name, Category: &cat, Type: &typ, Tags: tags}
			seeded = append(seeded, smp)
			hash := fmt.Sprintf("%064x", i+1)
			args = append(args, hash, name, strings.ToLower(name), hash[:2]+"/"+hash[2:4]+"/"+hash, "wav", 100000+i,
				dur, int(dur*44100), 44100, 2, 16, typ, cat, 0.9, bpm, 0.8, "audio", key, scale, 0.7,
				-30+rng.Float64()*25, -1.0, -1.2, `{"centroid_hz":1000,"rolloff_hz":4000,"flatness":0.1,"brightness":0.3}`,
				"1", "done", rng.IntN(20) == 0, created.Add(time.Duration(i)*time.Second), created,
				store.SearchText(&smp), bulk.peaks, bulk.onsets, bulk.vector, bulk.vector)
		}
		q := sb.String()
		if target.Kind == config.Postgres {
			q = rebind(q)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	// Tags, as the store writes them (ids are 1..n in insertion order).
	var tags []any
	flush := func(table, column string, rows *[]any) {
		if len(*rows) == 0 {
			return
		}
		q := "INSERT INTO " + table + " (sample_id, " + column + ") VALUES " + strings.TrimSuffix(strings.Repeat("(?,?),", len(*rows)/2), ",")
		if target.Kind == config.Postgres {
			q = rebind(q)
		}
		if _, err := tx.ExecContext(ctx, q, *rows...); err != nil {
			b.Fatal(err)
		}
		*rows = (*rows)[:0]
	}
	for i, smp := range seeded {
		for _, tag := range smp.Tags {
			tags = append(tags, i+1, tag)
		}
		if len(tags) > 4000 {
			flush("sample_tags", "tag", &tags)
		}
	}
	flush("sample_tags", "tag", &tags)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if target.Kind == config.Postgres {
		// What autovacuum does after a bulk load: statistics, and the visibility map that lets
		// COUNT(*) use index-only scans.
		if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			b.Fatal(err)
		}
	} else if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// bulkFeatures are the stored analysis columns a list never reads but every row carries, at
// their real sizes (a library imported by bench/importrate averages 5.8 KB of peaks JSON), so
// reading rows costs what it costs in a real library.
func bulkFeatures() (f struct {
	peaks, onsets string
	vector        []byte
}) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := analysis.Peaks{Coarse: make([]int8, 2*analysis.PeaksCoarseBuckets), Fine: make([]int8, 2*analysis.PeaksFineBuckets)}
	for _, v := range [][]int8{p.Coarse, p.Fine} {
		for i := range v {
			v[i] = int8(rng.IntN(80) - 40)
		}
	}
	b, _ := json.Marshal(p)
	f.peaks = string(b)
	f.onsets = "[0,11025,22050,33075,44100,55125,66150,77175]"
	f.vector = make([]byte, 256) // 64 float32s, as the similarity vector and fingerprint
	for i := 0; i < len(f.vector); i += 4 {
		binary.LittleEndian.PutUint32(f.vector[i:], math.Float32bits(float32(rng.Float64()*2-1)))
	}
	return f
}

func rebind(q string) string {
	var sb strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&sb, "$%d", n)
			continue
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// benchCollections are smart collections a producer would keep, evaluated over the seeded
// library by BenchmarkListSamples.
var benchCollections = []struct{ name, rules string }{
	// Keys and tempo for a beat in A minor at 90 BPM: melodic and bass samples in compatible
	// keys, tempo 85–95 or its half/double, soulful tags, no vocals (about 300 samples).
	{"smart", `{"categories":["melodic","bass"],"keys":["A"],"scale":"minor","compatible_keys":true,
 "bpm_min":85,"bpm_max":95,"bpm_half_double":true,"tags_any":["soul","jazz","funk"],"text":"-vocal"}`},
	// Dusty loops at the same tempo with boom-bap leanings (about 400 samples).
	{"smart-text", `{"text":"dusty","types":["loop"],"bpm_min":85,"bpm_max":95,"bpm_half_double":true,
 "tags_any":["boom bap","dilla","soul"]}`},
}

// BenchmarkListSamples measures GET /api/v1/samples over real HTTP against 100,000 analysed
// samples: a filtered, sorted page of 50, a text search, the unfiltered first page, a deep page,
// and the first page of two smart collections (GET /api/v1/collections/{id}/samples). It
// reports the median and p99 of the per-request latency, the number of matches, and the CPU
// time per request (see cpuTime), which a busy machine inflates far less than the latency.
func BenchmarkListSamples(b *testing.B) {
	const n = 100_000
	for _, kind := range []string{config.SQLite, config.Postgres} {
		b.Run(kind, func(b *testing.B) {
			target := storetest.NewTarget(b, kind)
			srv := startApp(b, target, func(c *config.Config) { c.Workers, c.RateLimitRPS = 0, 0 })
			seedSamples(b, target, n)
			queries := []struct{ name, query string }{
				{"filtered", "/api/v1/samples?category=drums&bpm_min=85&bpm_max=95&sort=-bpm&limit=50"},
				{"text", "/api/v1/samples?q=dusty&type=loop&sort=name&limit=50"},
				// A word two in five samples have: more than a list gathers at once.
				{"text-common", "/api/v1/samples?q=loop&sort=name&limit=50"},
				{"first-page", "/api/v1/samples?limit=50"},
				{"deep-page", "/api/v1/samples?sort=loudness&page=1000&limit=50"},
			}
			for _, c := range benchCollections {
				r := srv.sendJSON("POST", "/api/v1/collections", `{"name":"`+c.name+`","rules":`+c.rules+`}`)
				var created struct{ ID int64 }
				r.json(b, &created)
				if r.status != http.StatusCreated {
					b.Fatalf("create %s: %d %s", c.name, r.status, r.body)
				}
				queries = append(queries, struct{ name, query string }{c.name, fmt.Sprintf("/api/v1/collections/%d/samples?limit=50", created.ID)})
			}
			for _, q := range queries {
				b.Run(q.name, func(b *testing.B) {
					var page struct{ Total int }
					if st := srv.getJSON(q.query, &page); st != http.StatusOK {
						b.Fatalf("%s: status %d", q.query, st)
					}
					client := &http.Client{}
					lat := make([]time.Duration, 0, b.N)
					cpu0 := cpuTime(b, target)
					for b.Loop() {
						start := time.Now()
						res, err := client.Get(srv.base + q.query)
						if err != nil {
							b.Fatal(err)
						}
						var buf [32 << 10]byte
						for {
							if _, err := res.Body.Read(buf[:]); err != nil {
								break
							}
						}
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Fatalf("status %d", res.StatusCode)
						}
						lat = append(lat, time.Since(start))
					}
					cpu := cpuTime(b, target) - cpu0
					slices.Sort(lat)
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
					b.ReportMetric(float64(page.Total), "matches")
					b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
				})
			}
		})
	}
}
