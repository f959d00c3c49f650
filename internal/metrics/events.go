package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
)

// Event counts one chat event by platform and outcome (Received,
// Duplicate, Failed).
func (m *Metrics) Event(p bot.Platform, outcome string) {
	m.events.WithLabelValues(string(p), outcome).Inc()
}

// Acked records how long an adapter took to acknowledge an event to its
// platform, which must stay under about 3 s or the platform redelivers.
func (m *Metrics) Acked(p bot.Platform, d time.Duration) {
	m.ack.WithLabelValues(string(p)).Observe(d.Seconds())
}

// Refused returns what an adapter calls for each event it refused
// unrecorded because the store fell behind (Overloaded).
func (m *Metrics) Refused(p bot.Platform) func() {
	return func() { m.Event(p, Overloaded) }
}

// Handler is what adapters call with each message: the engine's method,
// declared here so this package need not import the engine.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error)
}

// HandlerFunc lets a function be a Handler.
type HandlerFunc func(ctx context.Context, m bot.Message) ([]bot.Reply, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	return f(ctx, m)
}

// Handle wraps h so each message counts as Received on its platform, and
// as Failed too when h returns an error — or as Redelivery when the error
// has a Redelivery() bool method saying the event was left for the
// platform to deliver again. bot.ErrOverloaded is no failure either: the
// adapter that refuses the event counts it as Overloaded (Refused), once,
// whether the store or the adapter's own budget gave up. Replies and
// errors pass through unchanged.
func (m *Metrics) Handle(h Handler) Handler {
	return HandlerFunc(func(ctx context.Context, msg bot.Message) ([]bot.Reply, error) {
		m.Event(msg.Platform, Received)
		replies, err := h.Handle(ctx, msg)
		var r interface{ Redelivery() bool }
		switch {
		case err == nil:
		case errors.Is(err, bot.ErrOverloaded):
			// counted by the adapter, which refuses it (Refused)
		case errors.As(err, &r) && r.Redelivery():
			m.Event(msg.Platform, Redelivery)
		default:
			m.Event(msg.Platform, Failed)
		}
		return replies, err
	})
}
