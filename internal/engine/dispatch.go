package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
)

// Outbox is the part of the store the dispatcher drains.
type Outbox interface {
	DueNotices(ctx context.Context, now time.Time, limit int) ([]bot.Queued, error)
	MarkSent(ctx context.Context, id int64, at time.Time) error
	MarkFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error
}

// Send delivers one notification; an error means "try again later".
type Send func(ctx context.Context, n bot.Notification) error

// Drain sends every notice due now, oldest first, each marked sent only
// after send returned: a crash in between sends it again rather than lose
// it, and a failed send is retried with a growing delay.
func (e *Engine) Drain(ctx context.Context, out Outbox, send Send) (int, error) {
	now := e.Clock.Now()
	due, err := out.DueNotices(ctx, now, 200)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, q := range due {
		n, err := e.Notification(ctx, q.Workspace, q.Notice)
		if err == nil {
			n.ID = q.ID
			err = send(ctx, n)
		}
		if err != nil {
			backoff := min(time.Duration(1<<min(q.Attempts, 10))*time.Second, time.Hour)
			e.Log.Warn("notification not sent", "notice", q.Notice.Key, "attempt", q.Attempts+1, "retry_in", backoff, "err", err)
			if err := out.MarkFailed(ctx, q.ID, err, now.Add(backoff)); err != nil {
				return sent, fmt.Errorf("engine: drain: %w", err)
			}
			continue
		}
		if err := out.MarkSent(ctx, q.ID, now); err != nil {
			return sent, fmt.Errorf("engine: drain: %w", err)
		}
		sent++
	}
	return sent, nil
}
