package bot

import (
	"context"
	"errors"
	"time"
)

// ErrOverloaded is returned by Store.Apply for an inbound event it could
// not record in time: the writer's queue was full, or the event's
// acknowledgement deadline (see WithAckDeadline) would pass, or passed,
// before its turn came. Nothing was recorded; the adapter refuses the
// event in a way its platform delivers again (HTTP 503, no Socket Mode
// ack, a DingTalk frame left unacknowledged) instead of acknowledging
// what it did not record.
var ErrOverloaded = errors.New("store: overloaded, event not recorded")

type ackDeadlineKey struct{}

// WithAckDeadline tells the store when the event being handled must be
// acknowledged to its platform. Unlike a context deadline it cancels
// nothing: work that started finishes and commits (a redelivery then
// finds it recorded); the store only refuses to start an event that
// could no longer be acknowledged in time.
func WithAckDeadline(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, ackDeadlineKey{}, t)
}

// AckDeadline is the deadline WithAckDeadline set, if any.
func AckDeadline(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(ackDeadlineKey{}).(time.Time)
	return t, ok
}
