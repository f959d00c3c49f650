package scheduler

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// A tick that decoded thousands of documents (a catch-up, a company's
// 17:00) leaves none of them kept; a usual minute's few stay decoded.
func TestReleaseDropsALargeTicksDocuments(t *testing.T) {
	for _, tc := range []struct {
		decoded int
		kept    bool
	}{{0, false}, {3, true}, {keepDecoded, true}, {keepDecoded + 1, false}} {
		s := &Scheduler{cache: map[bot.Workspace]map[bot.CollabID]*bot.Collaboration{}}
		if tc.decoded > 0 {
			docs := make(map[bot.CollabID]*bot.Collaboration, tc.decoded)
			for i := range tc.decoded {
				docs[bot.CollabID(i+1)] = &bot.Collaboration{ID: bot.CollabID(i + 1)}
			}
			s.cache["demo"] = docs
		}
		s.release("demo")
		if got := len(s.cache["demo"]) > 0; got != tc.kept {
			t.Errorf("%d decoded: kept %v, want %v", tc.decoded, got, tc.kept)
		}
	}
}
