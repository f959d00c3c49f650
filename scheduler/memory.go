package scheduler

import (
	"runtime/debug"

	"github.com/collabot/collabot/bot"
)

// keepDecoded bounds the decoded collaborations kept between ticks. A
// minute usually finds a handful due, and keeping them saves decoding
// them again; a catch-up after a start (every collaboration the index
// has not looked at yet) or the 17:00 wave of a large company reads
// thousands, which are not due again for hours. Keeping those held the
// whole company's documents in memory for good: 550–600 MB resident
// after start-up on a 1 GB database.
const keepDecoded = 2000

// release drops what a tick of ws decoded when it was more than
// keepDecoded documents, and returns the memory to the system at once:
// dropping them alone left the process at 563–569 MB resident once idle
// after start-up on a 1 GB database (the runtime's background scavenger
// hands a peak back slowly), against 73–74 MB with the forced return
// (BenchmarkStartup, 2026-12-03). It runs after such a tick only, so the
// forced collection costs a few times a day, not every minute.
func (s *Scheduler) release(ws bot.Workspace) {
	s.mu.Lock()
	large := len(s.cache[ws]) > keepDecoded
	if large {
		delete(s.cache, ws)
	}
	s.mu.Unlock()
	if large {
		debug.FreeOSMemory()
	}
}
