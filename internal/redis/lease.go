package redis

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// ErrLeaseLost is the cause of the cancellation of Do's work when another
// holder took the lease (ours expired, say after a long pause).
var ErrLeaseLost = errors.New("redis: lease lost")

// Lease names work that one replica at a time should do (the scheduler
// tick, the outbox dispatcher). The lease only saves duplicate work: the
// store's unique keys keep the results right even if two replicas run.
type Lease struct {
	c      *Client
	name   string
	key    string
	holder string
	ttl    time.Duration
}

// Lease returns the lease called name as seen by holder (a replica's
// unique name). It lasts ttl unless renewed.
func (c *Client) Lease(name, holder string, ttl time.Duration) *Lease {
	return &Lease{c: c, name: name, key: c.key("lease", name), holder: holder, ttl: max(ttl, 3*time.Millisecond)}
}

var acquireScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if v then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`)

var renewScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

// Acquire takes the lease if it is free, or renews it if it is already
// ours.
func (l *Lease) Acquire(ctx context.Context) (bool, error) {
	return l.run(ctx, "acquire", acquireScript, l.ttl.Milliseconds())
}

// Renew extends the lease if it is still ours.
func (l *Lease) Renew(ctx context.Context) (bool, error) {
	return l.run(ctx, "renew", renewScript, l.ttl.Milliseconds())
}

// Release gives the lease up if it is ours; someone else's stays.
func (l *Lease) Release(ctx context.Context) error {
	_, err := l.run(ctx, "release", releaseScript)
	return err
}

func (l *Lease) run(ctx context.Context, op string, s *goredis.Script, args ...any) (bool, error) {
	start := time.Now()
	n, err := s.Run(ctx, l.c.rdb, []string{l.key}, append([]any{l.holder}, args...)...).Int64()
	l.c.observe("lease "+op, start, err)
	if err != nil {
		return false, fmt.Errorf("redis: lease %s %s: %w", l.name, op, err)
	}
	return n == 1, nil
}

// Holder returns who holds the lease now, or "" if nobody does.
func (l *Lease) Holder(ctx context.Context) (string, error) {
	start := time.Now()
	v, err := l.c.rdb.Get(ctx, l.key).Result()
	l.c.observe("lease holder", start, err)
	if failed(err) {
		return "", fmt.Errorf("redis: lease %s holder: %w", l.name, err)
	}
	return v, nil
}

// Do runs fn if this replica holds the lease (taking or renewing it) and
// reports whether it ran. While fn runs the lease is renewed every ttl/3;
// if another holder is found instead, fn's context is cancelled with
// ErrLeaseLost. If Redis cannot be reached fn runs anyway: correctness
// never depends on the lease. The lease is kept after fn returns, so a
// periodic caller keeps it from one run to the next; Release it on
// shutdown.
func (l *Lease) Do(ctx context.Context, fn func(context.Context) error) (bool, error) {
	ok, err := l.Acquire(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("redis: lease %s: %w", l.name, ctx.Err())
		}
		return true, fn(ctx)
	}
	if !ok {
		return false, nil
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	finished := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { l.keep(runCtx, cancel, finished) })
	err = fn(runCtx)
	close(finished)
	wg.Wait()
	if err != nil && errors.Is(context.Cause(runCtx), ErrLeaseLost) && !errors.Is(err, ErrLeaseLost) {
		err = fmt.Errorf("%w: %w", ErrLeaseLost, err)
	}
	return true, err
}

// keep renews the lease until finished, and cancels the work if the lease
// turns out to be someone else's. A Redis error keeps the work going: it
// may be ours still, and the store keeps the results right either way.
func (l *Lease) keep(ctx context.Context, cancel context.CancelCauseFunc, finished <-chan struct{}) {
	t := time.NewTicker(l.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-finished:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if ok, err := l.Renew(ctx); err == nil && !ok {
			l.c.log.Warn("lease lost to another holder: stopping its work", "lease", l.name)
			cancel(ErrLeaseLost)
			return
		}
	}
}
