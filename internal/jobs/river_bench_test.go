package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/config"
)

// BenchmarkRiverSQLiteReadsWhileWorking measures what the API feels while River works through an
// import on SQLite: 1,000 analysis jobs whose worker sleeps 1 ms and then writes its result on the
// shared single-connection write pool (as AnalyzeSample does), while one goroutine queries the read
// pool and another makes small writes on the write pool, as API handlers would. Each iteration is
// the whole run, with River's default fetch cooldown and with a short one that keeps the write
// connection busier, and with River on the application's write connection (the design) or on one
// of its own (for comparison: then the two connections contend for SQLite's file lock); read_p50_µs, read_p99_µs, write_p50_µs and write_p99_µs are the latencies of those
// API-style statements, idle_read_p50_µs and idle_read_p99_µs the same reads with River stopped.
//
//	go test -run '^$' -bench RiverSQLiteReads -benchtime 1x ./internal/jobs/
func BenchmarkRiverSQLiteReadsWhileWorking(b *testing.B) {
	for _, ownConn := range []bool{false, true} {
		for _, cooldown := range []time.Duration{0, 10 * time.Millisecond} {
			conn := "shared"
			if ownConn {
				conn = "own"
			}
			b.Run(fmt.Sprintf("river_conn=%s/fetch_cooldown=%s", conn, cmp.Or(cooldown, 100*time.Millisecond)), func(b *testing.B) {
				benchReadsWhileWorking(b, cooldown, ownConn)
			})
		}
	}
}

// benchReadsWhileWorking runs the scenario; ownConn gives River a write connection of its own
// instead of the one the application writes with, for comparison.
func benchReadsWhileWorking(b *testing.B, cooldown time.Duration, ownConn bool) {
	const jobs = 1000
	for range b.N {
		b.StopTimer()
		d := newTestDB(b, config.SQLite)
		ctx := context.Background()
		d.exec(b, "CREATE TABLE samples_b (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bpm REAL, state TEXT NOT NULL)")
		for i := 1; i <= jobs; i++ {
			d.exec(b, "INSERT INTO samples_b (id, name, state) VALUES (?, ?, 'pending')", i, fmt.Sprintf("loop_%04d.wav", i))
		}
		an := newFakeAnalyzer(func(ctx context.Context, id int64, _ int) error {
			time.Sleep(time.Millisecond)
			_, err := d.db.ExecContext(ctx, "UPDATE samples_b SET bpm = 90, state = 'done' WHERE id = ?", id)
			return err
		})
		opts := testOptions(b, 4, Handlers{Analyzer: an})
		opts.FetchCooldown = cooldown
		opts.FetchPollInterval = max(cooldown, opts.FetchPollInterval)
		var riverDB *sql.DB
		if ownConn {
			riverDB = d.openWriter(b)
		}
		q := d.newQueue(b, riverDB, opts)
		ins := d.newQueue(b, nil, testOptions(b, 0, Handlers{}))
		for id := int64(1); id <= jobs; id++ {
			enqueueAnalysis(b, ins, id)
		}
		read := func() time.Duration {
			t0 := time.Now()
			rows, err := d.read.QueryContext(ctx, "SELECT id, name, bpm, state FROM samples_b WHERE state = 'pending' ORDER BY name LIMIT 50")
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
			return time.Since(t0)
		}
		write := func(i int) time.Duration {
			t0 := time.Now()
			if _, err := d.db.ExecContext(ctx, "UPDATE samples_b SET name = name WHERE id = ?", i%jobs+1); err != nil {
				b.Fatal(err)
			}
			return time.Since(t0)
		}
		var idle []time.Duration
		for range 500 {
			idle = append(idle, read())
		}

		b.StartTimer()
		begun := time.Now()
		stop := runQueue(b, q)
		done := make(chan struct{})
		var reads, writes []time.Duration
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				reads = append(reads, read())
			}
		})
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
				writes = append(writes, write(i))
			}
		})
		for d.count(b, "SELECT count(*) FROM river_job WHERE state = 'completed'") < jobs {
			time.Sleep(50 * time.Millisecond)
		}
		took := time.Since(begun)
		close(done)
		wg.Wait()
		stop()
		b.StopTimer()

		b.ReportMetric(float64(jobs)/took.Seconds(), "jobs/s")
		b.ReportMetric(micros(pct(idle, 50)), "idle_read_p50_µs")
		b.ReportMetric(micros(pct(idle, 99)), "idle_read_p99_µs")
		b.ReportMetric(micros(pct(reads, 50)), "read_p50_µs")
		b.ReportMetric(micros(pct(reads, 99)), "read_p99_µs")
		b.ReportMetric(micros(pct(writes, 50)), "write_p50_µs")
		b.ReportMetric(micros(pct(writes, 99)), "write_p99_µs")
		b.ReportMetric(float64(len(reads)), "reads")
	}
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
