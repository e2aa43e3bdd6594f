// Package events is an in-memory publish/subscribe broker: the batch importer publishes progress
// and WebSocket handlers subscribe. Each subscriber has a small buffered channel; a slow one is
// dropped (its channel closed), never waited on. A Relay carries events to the brokers of other
// processes (package pgnotify does it over PostgreSQL), which Deliver them to their subscribers.
package events

import (
	"sync"
)

// Event is one message on a topic.
type Event struct {
	Type string `json:"type"`
	Data any    `json:"data,omitempty"`
}

// Relay sends a process's events to the other processes sharing its work. It must not block.
type Relay interface {
	Send(topic string, e Event)
}

// Broker fans events out to subscribers by topic.
type Broker struct {
	mu    sync.Mutex
	subs  map[string]map[chan Event]struct{}
	relay Relay
}

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[string]map[chan Event]struct{}{}} }

// subscriberBuffer is how far a subscriber may fall behind before it is dropped.
const subscriberBuffer = 64

// Subscribe returns a channel of the topic's events and a function that ends the subscription.
// The channel is closed when the subscription ends or the subscriber falls behind.
func (b *Broker) Subscribe(topic string) (<-chan Event, func()) {
	ch := make(chan Event, subscriberBuffer)
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[chan Event]struct{}{}
	}
	b.subs[topic][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() { b.drop(topic, ch) }
}

func (b *Broker) drop(topic string, ch chan Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[topic][ch]; ok {
		delete(b.subs[topic], ch)
		close(ch)
		if len(b.subs[topic]) == 0 {
			delete(b.subs, topic)
		}
	}
}

// SetRelay makes every event published here also go to other processes. Call it before use.
func (b *Broker) SetRelay(r Relay) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.relay = r
}

// Relayed reports whether events cross processes, so readers need not poll for other processes' work.
func (b *Broker) Relayed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.relay != nil
}

// Publish sends an event to the topic's subscribers here and, through the relay, elsewhere,
// without blocking.
func (b *Broker) Publish(topic string, e Event) {
	b.Deliver(topic, e)
	b.mu.Lock()
	r := b.relay
	b.mu.Unlock()
	if r != nil {
		r.Send(topic, e)
	}
}

// Deliver sends an event to this process's subscribers only: the relay uses it for events from
// other processes.
func (b *Broker) Deliver(topic string, e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[topic] {
		select {
		case ch <- e:
		default:
			delete(b.subs[topic], ch)
			close(ch)
		}
	}
}

// Subscribers counts a topic's subscribers.
func (b *Broker) Subscribers(topic string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs[topic])
}
