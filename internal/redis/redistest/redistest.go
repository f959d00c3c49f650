// Package redistest sets up Redis for tests: the shared server named by
// COLLABOT_REDIS_TEST_URL (default redis://127.0.0.1:6379/0) with a
// private key prefix per test, or a private redis-server that a test can
// stop and start to simulate an outage.
//
// Without Redis the tests that need it are skipped, unless
// COLLABOT_REQUIRE_REDIS=1 (as in CI), where they fail instead.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// DefaultURL is the Redis tried when COLLABOT_REDIS_TEST_URL is not set.
const DefaultURL = "redis://127.0.0.1:6379/0"

// URL returns the test Redis's URL after checking that it answers.
func URL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv("COLLABOT_REDIS_TEST_URL")
	if raw == "" {
		raw = DefaultURL
	}
	if err := ping(raw); err != nil {
		unavailable(t, "no Redis at %s (%v): start redis-server or set COLLABOT_REDIS_TEST_URL", redact(raw), err)
	}
	return raw
}

// Prefix returns a key prefix no other test uses ("collabot-test:<random>:")
// and deletes every key under it when the test ends.
func Prefix(t testing.TB) string {
	t.Helper()
	raw := URL(t)
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "collabot-test:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		if err := DeleteUnder(context.Background(), raw, prefix); err != nil {
			t.Errorf("redistest: clean up %s: %v", prefix, err)
		}
	})
	return prefix
}

// DeleteUnder deletes every key starting with prefix (SCAN, then DEL).
func DeleteUnder(ctx context.Context, rawURL, prefix string) error {
	rdb, err := client(rawURL)
	if err != nil {
		return err
	}
	defer rdb.Close()
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := rdb.Del(ctx, keys[:n]...).Err(); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// Conn returns a plain client on rawURL, closed when the test ends, for
// tests that look at keys directly.
func Conn(t testing.TB, rawURL string) *goredis.Client {
	t.Helper()
	rdb, err := client(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func client(rawURL string) (*goredis.Client, error) {
	opt, err := goredis.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = time.Second, time.Second, time.Second
	opt.MaxRetries, opt.DialerRetries = -1, 1
	return goredis.NewClient(opt), nil
}

func ping(rawURL string) error {
	rdb, err := client(rawURL)
	if err != nil {
		return err
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return rdb.Ping(ctx).Err()
}

// unavailable skips the test, or fails it when Redis is required.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("COLLABOT_REQUIRE_REDIS") == "1" {
		t.Fatalf(format+" (COLLABOT_REQUIRE_REDIS=1)", args...)
	}
	t.Skipf(format, args...)
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
