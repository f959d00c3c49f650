package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Throttled is what an adapter returns when the platform asked it to slow
// down (Slack's HTTP 429 with Retry-After, DingTalk's errcode 130101): the
// dispatcher keeps the notification and tries again no sooner than After,
// and holds back the rest of that channel meanwhile.
type Throttled struct {
	After time.Duration
	Err   error
	// InDoubt says the platform may hold some of the message already (a
	// part went out before the 429, or the 429 answered the look-up of a
	// row in doubt): the next attempt must look before it posts.
	InDoubt bool
}

func (t *Throttled) Error() string {
	return fmt.Sprintf("throttled, retry after %s: %v", t.After, t.Err)
}

func (t *Throttled) Unwrap() error { return t.Err }

// RetryAfter reports how long the platform asked to wait, if err says so.
func RetryAfter(err error) (time.Duration, bool) {
	var t *Throttled
	if errors.As(err, &t) {
		return t.After, true
	}
	return 0, false
}

// ErrUndeliverable marks a notification that no configured platform can
// reach (the recipient has no account on any of them). The dispatcher
// keeps it and retries rarely, in case an adapter or an identity is added.
var ErrUndeliverable = errors.New("no configured platform reaches the recipient")

// Sender delivers rendered notifications on one platform: an adapter's
// outgoing half. Send returns nil only once the platform accepted the
// message; a *Throttled error asks for a pause, any other error a retry.
type Sender interface {
	Platform() Platform
	Send(ctx context.Context, n Notification) error
}
