package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultPrefix starts every key when Open is given no prefix.
const DefaultPrefix = "collabot:"

// timeout bounds every dial, read and write: an outage must cost an inbound
// event at most about a second before it is handled without Redis, well
// inside a platform's acknowledgement window.
const timeout = time.Second

// Client is a connection to the shared Redis and the state of the current
// outage, if any. It is safe for concurrent use.
type Client struct {
	rdb    *goredis.Client
	prefix string
	log    *slog.Logger

	mu     sync.Mutex
	down   bool
	downAt time.Time // when the current outage was noticed
	upAt   time.Time // when Redis was last seen coming back
}

// Open connects to the Redis at rawURL ("redis://[:password@]host:6379/0"
// or rediss://). A URL that does not parse is an error; a Redis that does
// not answer is not: the client starts degraded, says so once, and
// recovers when Redis comes back. An empty prefix means DefaultPrefix.
func Open(ctx context.Context, rawURL, prefix string, log *slog.Logger) (*Client, error) {
	if log == nil {
		log = slog.Default()
	}
	opt, err := goredis.ParseURL(rawURL)
	if err != nil {
		return nil, parseError(rawURL, err)
	}
	for _, d := range []*time.Duration{&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout} {
		if *d == 0 {
			*d = timeout
		}
	}
	// One retry covers a pooled connection that died with a restart; more,
	// with the library's backoffs and dial retries, would turn an outage
	// into seconds per call. The URL may still ask for others.
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 1
	}
	if opt.MinRetryBackoff == 0 && opt.MaxRetryBackoff == 0 {
		opt.MinRetryBackoff, opt.MaxRetryBackoff = 8*time.Millisecond, 64*time.Millisecond
	}
	opt.DialerRetries = 1
	opt.ContextTimeoutEnabled = true
	// Maintenance notifications are for managed clusters; a plain Redis
	// would only answer the handshake with an error.
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	if prefix == "" {
		prefix = DefaultPrefix
	}
	// The library logs every failed dial; the Client reports an outage
	// once, so the library's lines go to debug.
	goredis.SetLogger(libLogger{log})
	c := &Client{rdb: goredis.NewClient(opt), prefix: prefix, log: log}
	pingCtx, cancel := context.WithTimeout(ctx, 2*timeout)
	defer cancel()
	start := time.Now()
	err = c.rdb.Ping(pingCtx).Err()
	c.observe("ping", start, err)
	if err == nil {
		log.Info("redis connected", "addr", opt.Addr, "db", opt.DB, "prefix", prefix)
	}
	return c, nil
}

// Close closes the connections.
func (c *Client) Close() error {
	if err := c.rdb.Close(); err != nil {
		return fmt.Errorf("redis: close: %w", err)
	}
	return nil
}

// Healthy reports whether Redis answered the last call, for a readiness
// report. Being unhealthy is degraded, not broken.
func (c *Client) Healthy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.down
}

// Ping asks Redis whether it is there, for a readiness check; like every
// call it also moves Healthy.
func (c *Client) Ping(ctx context.Context) error {
	start := time.Now()
	err := c.rdb.Ping(ctx).Err()
	c.observe("ping", start, err)
	if err != nil {
		return fmt.Errorf("redis: ping: %w", err)
	}
	return nil
}

// key names one thing of a kind ("event", "lease", "rate") under the
// prefix, so that several deployments can share one Redis.
func (c *Client) key(kind, name string) string { return c.prefix + kind + ":" + name }

// observe records the outcome of a call that started at start: the first
// failure of an outage is warned about, the first success after it is
// noted. A call that started before the last change of state says nothing
// new (it may have been in flight while Redis went down or came back), so
// concurrent calls cannot make one outage look like several.
func (c *Client) observe(op string, start time.Time, err error) {
	if errors.Is(err, context.Canceled) {
		return // the caller gave up; that says nothing about Redis
	}
	ok := err == nil || errors.Is(err, goredis.Nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case ok && c.down && start.After(c.downAt):
		c.down, c.upAt = false, time.Now()
		c.log.Info("redis reachable again: coordinating through it", "outage", c.upAt.Sub(c.downAt).Round(time.Millisecond))
	case !ok && !c.down && !start.Before(c.upAt):
		c.down, c.downAt = true, time.Now()
		c.log.Warn("redis unreachable: degraded to the store's guarantees until it is back", "op", op, "err", err)
	}
}

// failed reports whether err is a failure of Redis (not a missing key).
func failed(err error) bool { return err != nil && !errors.Is(err, goredis.Nil) }

// parseError explains a malformed URL without echoing its password: the
// URL is redacted and quoted fragments of the userinfo are masked, since
// url.Parse quotes the offending part (an escape, a port) verbatim.
func parseError(raw string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the whole URL
	}
	msg := strings.TrimPrefix(err.Error(), "redis: ")
	if info := userinfo(raw); info != "" {
		msg = quoted.ReplaceAllStringFunc(msg, func(q string) string {
			if inner := strings.Trim(q, `"`); inner != "" && strings.Contains(info, inner) {
				return `"***"`
			}
			return q
		})
		msg = strings.ReplaceAll(msg, info, "***")
	}
	return fmt.Errorf("redis: malformed url %s: %s", redactURL(raw), msg)
}

var quoted = regexp.MustCompile(`"[^"]*"`)

// userinfo is what stands between "scheme://" and the last "@", found
// without parsing because the URL may not parse.
func userinfo(raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest = raw
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		return rest[:at]
	}
	return ""
}

// redactURL hides the userinfo of a URL.
func redactURL(raw string) string {
	info := userinfo(raw)
	if info == "" {
		return raw
	}
	return strings.Replace(raw, info+"@", "***@", 1)
}

// libLogger sends the library's own log lines to debug.
type libLogger struct{ log *slog.Logger }

func (l libLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}
