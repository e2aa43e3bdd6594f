package pgnotify_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/events"
	"github.com/sp404agent/sp404agent/internal/events/pgnotify"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// process is one process's broker bridged to the database.
type process struct {
	broker *events.Broker
}

func startProcess(t *testing.T, dsn string) process {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := events.NewBroker()
	bridge := pgnotify.New(b, db, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.SetRelay(bridge)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bridge.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		db.Close()
	})
	return process{broker: b}
}

// publishUntil publishes e on topic every 100 ms until want receives an event (the listener of
// another process may not be listening yet) and returns it with the number of publications.
func publishUntil(t *testing.T, from process, topic string, e events.Event, want <-chan events.Event) (events.Event, int) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for n := 1; ; n++ {
		from.broker.Publish(topic, e)
		select {
		case got := <-want:
			return got, n
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no event on %s crossed processes", topic)
		}
	}
}

func TestEventsCrossProcesses(t *testing.T) {
	target := storetest.NewTarget(t, config.Postgres)
	worker, api := startProcess(t, target.URL), startProcess(t, target.URL)

	sub, cancel := api.broker.Subscribe("batch:7")
	defer cancel()
	other, cancelOther := api.broker.Subscribe("batch:8")
	defer cancelOther()
	own, cancelOwn := worker.broker.Subscribe("batch:7")
	defer cancelOwn()

	progress := events.Event{Type: "progress", Data: map[string]any{"done": 3, "current": "Drums/kick 1.wav"}}
	got, n := publishUntil(t, worker, "batch:7", progress, sub)
	data, err := json.Marshal(got.Data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != "progress" || string(data) != `{"current":"Drums/kick 1.wav","done":3}` {
		t.Fatalf("got %s %s", got.Type, data)
	}
	// The publisher's own subscribers hear each event once: the bridge does not echo its own.
	time.Sleep(500 * time.Millisecond)
	if len(own) != n {
		t.Fatalf("the worker's own subscriber heard %d events, published %d", len(own), n)
	}
	if len(sub) > n-1 {
		t.Fatalf("the API heard %d more events, published %d", len(sub), n)
	}
	for len(sub) > 0 {
		<-sub
	}
	if len(other) != 0 {
		t.Fatal("an event crossed topics")
	}

	// An event too big for a notification is not relayed, and later ones still are.
	worker.broker.Publish("batch:7", events.Event{Type: "progress", Data: strings.Repeat("x", 9000)})
	got, _ = publishUntil(t, worker, "batch:7", events.Event{Type: "complete"}, sub)
	for got.Type != "complete" {
		if s, ok := got.Data.(json.RawMessage); ok && len(s) > 8000 {
			t.Fatal("an oversized event was relayed")
		}
		got = <-sub
	}
}

// A listener whose connection is killed reconnects and keeps delivering.
func TestListenerReconnects(t *testing.T) {
	target := storetest.NewTarget(t, config.Postgres)
	worker, api := startProcess(t, target.URL), startProcess(t, target.URL)
	sub, cancel := api.broker.Subscribe("t")
	defer cancel()
	publishUntil(t, worker, "t", events.Event{Type: "ping"}, sub)
	time.Sleep(300 * time.Millisecond) // let the pings in flight arrive

	admin, err := sql.Open("pgx", target.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	if err := admin.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
 WHERE datname = current_database() AND query = 'LISTEN ` + pgnotify.Channel + `'`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("terminated %d listeners, want 2", killed)
	}
	for len(sub) > 0 {
		<-sub
	}
	if got, _ := publishUntil(t, worker, "t", events.Event{Type: "pong"}, sub); got.Type != "pong" {
		t.Fatalf("after reconnecting got %q", got.Type)
	}
}
