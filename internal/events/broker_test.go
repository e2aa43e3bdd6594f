package events

import "testing"

func TestSubscribersGetEventsAndSlowOnesAreDropped(t *testing.T) {
	b := NewBroker()
	fast, cancelFast := b.Subscribe("t")
	slow, _ := b.Subscribe("t")
	other, cancelOther := b.Subscribe("other")
	defer cancelOther()
	for i := range subscriberBuffer + 1 {
		b.Publish("t", Event{Type: "progress", Data: i})
		if i < subscriberBuffer {
			if e := <-fast; e.Data != i {
				t.Fatalf("fast got %v, want %d", e.Data, i)
			}
		}
	}
	n := 0
	for range slow {
		n++
	}
	if n != subscriberBuffer {
		t.Fatalf("slow subscriber got %d events before being dropped, want %d", n, subscriberBuffer)
	}
	if len(other) != 0 {
		t.Fatal("an event crossed topics")
	}
	cancelFast()
	left := 0
	for range fast { // ends only once the channel is closed
		left++
	}
	if left != 1 {
		t.Fatalf("%d buffered events after cancel, want the 1 unread", left)
	}
	cancelFast() // twice is fine
	if b.Subscribers("t") != 0 {
		t.Fatalf("subscribers left: %d", b.Subscribers("t"))
	}
}
