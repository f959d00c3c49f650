package redis

import (
	"context"
	"fmt"
	"time"

	"github.com/collabot/collabot/internal/dispatch"
	goredis "github.com/redis/go-redis/v9"
)

// Limiter is dispatch.Memory's GCRA kept in Redis, so that replicas share
// each platform's limits. Each key is one hash (tat, held) that expires
// when it is neither owed nor held: a missing key answers like a fresh
// one. Times are kept in microseconds (Lua numbers are doubles, exact
// below 2^53), so answers match Memory's to the microsecond.
type Limiter struct{ c *Client }

var _ dispatch.Limiter = (*Limiter)(nil)

// Limiter returns the shared rate limiter.
func (c *Client) Limiter() *Limiter { return &Limiter{c: c} }

// holdFloor keeps a held key at least this long by the wall clock: Hold is
// not told the dispatcher's clock, which tests move freely; the next Take
// sets the exact expiry by that clock.
const holdFloor = time.Hour

// takeScript: KEYS[1] the cell; ARGV now, every (µs), burst. It returns
// {1, now} when a message may go, or {0, when the next may}. The cell
// lives at least a second of Redis's own time: a cell whose tat has
// passed answers as an absent one, so keeping it longer changes nothing,
// while expiring it within milliseconds would let a slow caller's next
// Take find it gone before its own clock says so. The caller's now is
// used rather than Redis TIME because the dispatcher's clock is injected.
// Stored numbers are formatted with %d so that the hash holds
// plain integers whatever a Redis version's float formatting.
var takeScript = goredis.NewScript(`
local now = tonumber(ARGV[1])
local every = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local cell = redis.call('HMGET', KEYS[1], 'tat', 'held')
local tat = tonumber(cell[1]) or 0
local held = tonumber(cell[2]) or 0
if now < held then return {0, held} end
if every <= 0 then return {1, now} end
if burst < 1 then burst = 1 end
if tat < now then tat = now end
local allow = tat - every * (burst - 1)
if now < allow then return {0, allow} end
tat = tat + every
redis.call('HSET', KEYS[1], 'tat', string.format('%d', tat))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(1000, math.ceil((math.max(tat, held) - now) / 1000))))
return {1, now}`)

// holdScript: KEYS[1] the cell; ARGV until (µs), a TTL (ms) it keeps at
// least. A hold never shortens an earlier one, nor the key's life.
var holdScript = goredis.NewScript(`
local held = tonumber(redis.call('HGET', KEYS[1], 'held')) or 0
if tonumber(ARGV[1]) > held then redis.call('HSET', KEYS[1], 'held', ARGV[1]) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

// Take implements dispatch.Limiter.
func (l *Limiter) Take(ctx context.Context, key string, rate dispatch.Rate, now time.Time) (bool, time.Time, error) {
	every := ceilMicro(rate.Every)
	if rate.Every <= 0 {
		every = 0
	}
	start := time.Now()
	res, err := takeScript.Run(ctx, l.c.rdb, []string{l.c.key("rate", key)}, now.UnixMicro(), every, rate.Burst).Int64Slice()
	l.c.observe("limiter take", start, err)
	if err != nil {
		return false, time.Time{}, fmt.Errorf("redis: take %s: %w", key, err)
	}
	if len(res) != 2 {
		return false, time.Time{}, fmt.Errorf("redis: take %s: unexpected reply %v", key, res)
	}
	if res[0] == 1 {
		return true, now, nil
	}
	return false, time.UnixMicro(res[1]).In(now.Location()), nil
}

// Hold implements dispatch.Limiter.
func (l *Limiter) Hold(ctx context.Context, key string, until time.Time) error {
	// Rounded up: a hold ends no earlier than asked.
	u := until.UnixMicro()
	if until.After(time.UnixMicro(u)) {
		u++
	}
	ttl := max(time.Until(until), holdFloor)
	start := time.Now()
	err := holdScript.Run(ctx, l.c.rdb, []string{l.c.key("rate", key)}, u, ttl.Milliseconds()).Err()
	l.c.observe("limiter hold", start, err)
	if err != nil {
		return fmt.Errorf("redis: hold %s: %w", key, err)
	}
	return nil
}

// ceilMicro is d in whole microseconds, rounded up so that a positive
// rate never becomes unlimited.
func ceilMicro(d time.Duration) int64 {
	us := d / time.Microsecond
	if d%time.Microsecond != 0 {
		us++
	}
	return int64(us)
}
