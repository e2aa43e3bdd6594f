// Package pgnotify carries events between the processes that share one PostgreSQL database (API
// replicas and workers) with LISTEN/NOTIFY, so a WebSocket on one process streams the progress of
// work done by another as it happens.
package pgnotify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sp404agent/sp404agent/internal/events"
)

// Channel is the notification channel every process listens on.
const Channel = "sp404_events"

// maxPayload keeps a notification under PostgreSQL's 8000-byte payload limit.
const maxPayload = 7900

// pending is how many events may wait to be sent before new ones are dropped; readers of a
// dropped progress event catch up from the database (it is a snapshot, not a delta).
const pending = 256

// message is one event on the wire.
type message struct {
	Origin string          `json:"o"`
	Topic  string          `json:"t"`
	Type   string          `json:"y"`
	Data   json.RawMessage `json:"d,omitempty"`
}

// Bridge relays a broker's events to the other processes and delivers theirs to it. It is an
// events.Relay; Run does the sending and listening.
type Bridge struct {
	broker *events.Broker
	send   *sql.DB // any pool on the database: NOTIFY is an ordinary statement
	dsn    string  // for the one connection that LISTENs
	log    *slog.Logger
	origin string
	out    chan message
}

// New returns a bridge for broker over the database at dsn, sending through db. Call
// broker.SetRelay(bridge) and run Run for the life of the process.
func New(broker *events.Broker, db *sql.DB, dsn string, log *slog.Logger) *Bridge {
	var id [8]byte
	_, _ = rand.Read(id[:])
	return &Bridge{
		broker: broker, send: db, dsn: dsn, log: log,
		origin: hex.EncodeToString(id[:]), out: make(chan message, pending),
	}
}

// Send queues an event for the other processes without blocking (events.Relay).
func (b *Bridge) Send(topic string, e events.Event) {
	m := message{Origin: b.origin, Topic: topic, Type: e.Type}
	if e.Data != nil {
		data, err := json.Marshal(e.Data)
		if err != nil {
			b.log.Warn("relay event", "topic", topic, "err", err)
			return
		}
		m.Data = data
	}
	select {
	case b.out <- m:
	default: // the database is slow or gone; the readers' own polling covers the gap
	}
}

// Run sends queued events and delivers other processes' events until ctx ends. A lost listening
// connection is reopened, waiting longer after each failure.
func (b *Bridge) Run(ctx context.Context) error {
	go b.sendLoop(ctx)
	wait := time.Second
	for {
		err := b.listen(ctx)
		if ctx.Err() != nil {
			return nil
		}
		b.log.Warn("event listener lost; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (b *Bridge) sendLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-b.out:
			payload, err := json.Marshal(m)
			if err != nil || len(payload) > maxPayload {
				continue // too big to notify: the readers' polling delivers it
			}
			if _, err := b.send.ExecContext(ctx, `SELECT pg_notify($1, $2)`, Channel, string(payload)); err != nil && ctx.Err() == nil {
				b.log.Warn("relay event", "topic", m.Topic, "err", err)
			}
		}
	}
}

// listen holds one connection on LISTEN and delivers what arrives until it fails or ctx ends.
func (b *Bridge) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, b.dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return fmt.Errorf("wait for notification: %w", err)
		}
		var m message
		if err := json.Unmarshal([]byte(n.Payload), &m); err != nil || m.Origin == b.origin || m.Topic == "" {
			continue // ours (already delivered here) or not one of ours
		}
		e := events.Event{Type: m.Type}
		if len(m.Data) > 0 {
			e.Data = m.Data
		}
		b.broker.Deliver(m.Topic, e)
	}
}
