// Package app wires the service together: configuration, database, blob store, library, workers
// and HTTP server, built in order by New and torn down in reverse by Close.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/sp404agent/sp404agent/internal/blob"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/events"
	"github.com/sp404agent/sp404agent/internal/events/pgnotify"
	"github.com/sp404agent/sp404agent/internal/httpapi"
	"github.com/sp404agent/sp404agent/internal/jobs"
	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/vibe"
	"github.com/sp404agent/sp404agent/web"
)

// ShutdownTimeout bounds a graceful shutdown.
const ShutdownTimeout = 10 * time.Second

// perFileTimeout bounds one file's analysis.
const perFileTimeout = 2 * time.Minute

// Build holds what the linker stamps into the binary.
type Build struct {
	Version string
	Commit  string
}

// App is the running service.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	DB      *store.DB
	Library *library.Service
	HTTP    *httpapi.Server
	Events  *events.Broker
	Metrics *prometheus.Registry
	queue   *jobs.RiverQueue
	// ownsQueue is true on SQLite, where no other process shares the job queue, so work found
	// running at start-up died with an earlier process.
	ownsQueue bool
	// bridge carries events between the processes of one PostgreSQL database (nil on SQLite).
	bridge *pgnotify.Bridge

	// base lives as long as the app; background work started by requests runs under it.
	base       context.Context
	cancelBase context.CancelFunc
}

// OpenDB opens and migrates the configured database.
func OpenDB(ctx context.Context, cfg config.Config, migrate bool) (*store.DB, error) {
	kind, dsn, err := config.ParseDatabaseURL(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, kind, dsn)
	if err != nil {
		return nil, err
	}
	if migrate {
		if _, err := db.MigrateUp(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Stores are the database and the blob store, for commands that work on them directly.
type Stores struct {
	DB    *store.DB
	Blobs blob.Store
}

// OpenStores opens the database (migrating it when migrate is set) and the blob store (a local
// folder, or S3-compatible storage with BLOB_URL=s3://…).
func OpenStores(ctx context.Context, cfg config.Config, migrate bool) (*store.DB, blob.Store, error) {
	db, err := OpenDB(ctx, cfg, migrate)
	if err != nil {
		return nil, nil, err
	}
	blobs, err := blob.Open(ctx, cfg.BlobURL, cfg.DataDir, blob.Credentials{
		AccessKeyID: cfg.S3AccessKeyID, SecretAccessKey: cfg.S3SecretKey, SessionToken: cfg.S3SessionToken,
	})
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open blob store: %w", err)
	}
	return db, blobs, nil
}

// OpenLibrary opens the stores and returns the library over them, with no background work
// attached. Commands that work on the library use it directly.
func OpenLibrary(ctx context.Context, cfg config.Config, log *slog.Logger) (*library.Service, *store.DB, error) {
	db, blobs, err := OpenStores(ctx, cfg, true)
	if err != nil {
		return nil, nil, err
	}
	lib := library.NewService(store.New(db), blobs, nil, log, library.Limits{
		MaxFileBytes: cfg.MaxUploadBytes(), ExportDir: filepath.Join(cfg.DataDir, "exports"), ImportRoots: cfg.ImportRoots,
	})
	return lib, db, nil
}

// New builds the app: it opens and migrates the database, so it fails fast on a bad setup.
func New(ctx context.Context, cfg config.Config, build Build, log *slog.Logger) (*App, error) {
	lib, db, err := OpenLibrary(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := lib.LoadSimilarity(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := lib.SetVibe(ctx, vibeSetup(cfg, store.New(db))); err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: db, Library: lib, Events: events.NewBroker(), Metrics: prometheus.NewRegistry()}
	a.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, pool := range db.Pools() {
		a.Metrics.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	lib.SetEvents(a.Events)
	a.base, a.cancelBase = context.WithCancel(context.WithoutCancel(ctx))
	// The job queue lives in the same database; WORKERS=0 makes this process insert jobs only
	// (workers elsewhere run them).
	kind, dsn, _ := config.ParseDatabaseURL(cfg.DatabaseURL, cfg.DataDir)
	metrics := jobs.NewMetrics(a.Metrics)
	q, err := jobs.NewRiver(ctx, jobs.Options{
		Kind: kind, DSN: dsn, DB: db.WriteDB(), Workers: cfg.Workers, Logger: log,
		Handlers:      metrics.Handlers(jobs.Handlers{Analyzer: lib, Failer: lib, Importer: lib, Exporter: lib, Vibe: lib}),
		PerJobTimeout: perFileTimeout, StopTimeout: ShutdownTimeout - 2*time.Second,
		// A queue fetches at most its free workers' worth of jobs per cooldown; River's default
		// (100 ms) would cap a large import at a few dozen files per second.
		FetchCooldown: 10 * time.Millisecond,
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	a.queue, a.ownsQueue = q, kind == config.SQLite
	if kind == config.Postgres {
		// Other processes (API replicas, workers) share the work: their progress reaches this
		// process's sockets, and this one's reaches theirs.
		a.bridge = pgnotify.New(a.Events, db.WriteDB(), dsn, log)
		a.Events.SetRelay(a.bridge)
	}
	lib.SetQueue(q, q, q)
	a.Metrics.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sp404_queue_depth", Help: "Jobs waiting to run (available, retryable or scheduled), all kinds.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, _ := db.QueueDepth(ctx)
		return float64(n)
	}))
	a.HTTP = httpapi.New(lib, log, httpapi.Options{
		Version:        build.Version,
		CORSOrigins:    cfg.CORSOrigins,
		MaxUploadBytes: cfg.MaxUploadBytes(),
		MaxUploadFiles: lib.Limits().MaxFiles,
		UI:             web.Dist(),
		BaseContext:    a.base,
		Events:         a.Events,
		Auth: httpapi.AuthOptions{
			Password: cfg.AuthPassword, Tokens: cfg.APITokens, SecretKey: cfg.SecretKey, SecureCookie: cfg.IsProduction(),
		},
		RateLimit:      cfg.RateLimitRPS,
		RateBurst:      cfg.RateBurst,
		TrustedProxies: cfg.TrustedProxies,
		Metrics:        a.Metrics,
	})
	return a, nil
}

// vibeSetup builds the vibe analyzer and budget guard: online with OPENROUTER_API_KEY, offline
// (the audio analysis alone) without.
func vibeSetup(cfg config.Config, usage vibe.UsageStore) library.VibeSetup {
	budget := vibe.Budget{MonthlyUSD: cfg.BudgetUSD, DailyTokens: cfg.BudgetTokens}
	// Without a key the guard only reports usage; the analyzer gets none and stays offline.
	guard := vibe.NewGuard(nil, usage, budget, vibe.GuardOptions{})
	var online *vibe.Guard
	if cfg.OpenRouterKey != "" {
		client := vibe.NewClient(vibe.Options{BaseURL: cfg.OpenRouterURL, APIKey: cfg.OpenRouterKey})
		guard = vibe.NewGuard(client, usage, budget, vibe.GuardOptions{})
		online = guard
	}
	return library.VibeSetup{
		Analyzer: vibe.NewAnalyzer(online, vibe.AnalyzerOptions{Model: cfg.VibeModel}),
		Guard:    guard,
		Defaults: library.Preferences{
			VibeModel: cfg.VibeModel, BudgetMonthlyUSD: cfg.BudgetUSD, BudgetDailyTokens: cfg.BudgetTokens,
			ExportTarget: "mk2", ExportNormalize: "none",
		},
	}
}

// Run serves on ln until ctx is cancelled, then shuts down within ShutdownTimeout: it stops
// accepting, lets requests in flight finish, and stops the workers.
func (a *App) Run(ctx context.Context, ln net.Listener) error {
	baseCtx, cancelBase := a.base, a.cancelBase
	defer cancelBase()
	srv := &http.Server{
		Handler:           a.HTTP,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		// No overall read/write timeout: uploads and audio downloads may be long. Slow clients
		// are bounded by the header timeout and the body limits.
		BaseContext: func(net.Listener) context.Context { return baseCtx },
		ErrorLog:    slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve http: %w", err)
		}
		return nil
	})
	g.Go(func() error { return a.runQueue(gctx) })
	if a.bridge != nil {
		g.Go(func() error { return a.bridge.Run(gctx) })
	}
	g.Go(func() error {
		<-gctx.Done()
		a.Log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
		defer cancel()
		err := srv.Shutdown(sctx)
		cancelBase() // ends long-lived requests (WebSockets, streams) still open
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("shutdown http: %w", err)
		}
		return nil
	})
	return g.Wait()
}

// RunWorker works jobs only, with no HTTP server (sp404agent worker), until ctx ends.
func (a *App) RunWorker(ctx context.Context) error {
	defer a.cancelBase()
	if a.bridge == nil {
		return a.runQueue(ctx)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.runQueue(gctx) })
	g.Go(func() error { return a.bridge.Run(gctx) })
	return g.Wait()
}

// runQueue re-queues work an earlier run (or the previous in-process pool) left behind, then
// works jobs until ctx ends. Duplicates of queued jobs are skipped by the queue.
func (a *App) runQueue(ctx context.Context) error {
	st := store.New(a.DB)
	if ids, err := st.SampleIDsInState(ctx, library.StatePending); err == nil && len(ids) > 0 {
		if _, err := a.queue.EnqueueAnalyses(ctx, ids); err != nil {
			a.Log.Warn("re-queue analyses", "err", err)
		}
	}
	// Work found running was being done by a process that stopped without finishing; resume it
	// now rather than when the queue's rescuer gives up on that process. Where other processes
	// share the queue (PostgreSQL) it may be theirs and alive, so the rescuer decides.
	if a.ownsQueue {
		if ids, err := st.SampleIDsInState(ctx, library.StateAnalyzing); err == nil && len(ids) > 0 {
			if err := a.queue.ResumeAnalyses(ctx, ids); err != nil {
				a.Log.Warn("resume analyses", "err", err)
			}
		}
		if ids, err := st.BatchIDsInState(ctx, library.BatchQueued, library.BatchScanning, library.BatchRunning); err == nil {
			for _, id := range ids {
				_ = a.queue.ResumeBatch(ctx, id)
			}
		}
	}
	if ids, err := st.ExportIDsInState(ctx, library.ExportQueued, library.ExportRunning); err == nil {
		for _, id := range ids {
			_ = a.queue.EnqueueExport(ctx, id)
		}
	}
	return a.queue.Run(ctx)
}

// Close releases what New opened.
func (a *App) Close() error {
	return errors.Join(a.queue.Close(), a.DB.Close())
}
