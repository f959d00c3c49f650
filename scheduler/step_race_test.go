//go:build race

package scheduler_test

import "time"

// tickEvery: the race detector makes each tick about 20 times slower, so the
// week is simulated every 5 minutes under it (still catching every timer,
// which all fall on 5-minute boundaries in the fixture); without -race it
// ticks every minute.
const tickEvery = 5 * time.Minute
