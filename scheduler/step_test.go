//go:build !race

package scheduler_test

import "time"

// tickEvery is how often the week-long simulation ticks: every minute, as in
// production.
const tickEvery = time.Minute
