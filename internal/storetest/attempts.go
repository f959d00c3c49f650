package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// testAttemptLeavesRowInDoubt: an attempt recorded and never followed by
// an outcome leaves the row in doubt for the next attempt, however the
// process ended; a 429 (Untried) clears it; a failure of unknown effect
// keeps it; a sent row cannot be attempted.
func testAttemptLeavesRowInDoubt(t *testing.T, fresh func(*testing.T) DB) {
	ctx := context.Background()
	first, second := t0.Add(time.Second), t0.Add(time.Minute)
	for _, tc := range []struct {
		name    string
		between func(s store.Backend, id int64) error // after the first attempt
		want    time.Time                             // what the second attempt returns
		wantErr error
	}{
		{"fresh row", nil, time.Time{}, nil},
		{"crashed mid-send", func(store.Backend, int64) error { return nil }, first, nil},
		{"failed, outcome unknown", func(s store.Backend, id int64) error {
			return s.MarkFailed(ctx, id, errors.New("timeout"), t0)
		}, first, nil},
		{"in doubt twice: from the first", func(s store.Backend, id int64) error {
			if err := s.MarkFailed(ctx, id, errors.New("timeout"), t0); err != nil {
				return err
			}
			_, err := s.Attempt(ctx, id, first.Add(30*time.Second))
			return err
		}, first, nil},
		{"throttled", func(s store.Backend, id int64) error {
			if err := s.Untried(ctx, id); err != nil {
				return err
			}
			return s.MarkFailed(ctx, id, &bot.Throttled{After: time.Second}, t0)
		}, time.Time{}, nil},
		{"sent", func(s store.Backend, id int64) error { return s.MarkSent(ctx, id, t0) }, time.Time{}, store.ErrSent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t, fresh(t))
			id := enqueue(t, s, 1)[0]
			if tc.between != nil {
				if prior, err := s.Attempt(ctx, id, first); err != nil || !prior.IsZero() {
					t.Fatalf("first attempt: %v, %v", prior, err)
				}
				if err := tc.between(s, id); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Attempt(ctx, id, second)
			if !errors.Is(err, tc.wantErr) || !got.Equal(tc.want) {
				t.Errorf("attempt = %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
