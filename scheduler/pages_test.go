package scheduler_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// A scan reads what is due a page at a time: the catch-up after a start
// on a large workspace holds one page of documents, not all of them.

func TestCatchUpDecodesAPageAtATime(t *testing.T) {
	w := newWorld(t)
	var ids []bot.CollabID
	for range 7 {
		ids = append(ids, owners(w))
	}
	w.sched.Page = 3
	c := w.counted()
	// 17:00: every collaboration is due (never scanned), every owner asked
	// once with the tasks of all seven.
	equal(t, "17:00", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→ben", "daily_progress→fiona"})
	if c.pages < 3 || c.largestPage > 3 {
		t.Errorf("the index was asked for %d pages, the largest of %d; want pages of at most 3", c.pages, c.largestPage)
	}
	if c.mostDecoded > 3 {
		t.Errorf("one transaction decoded %d collaborations; want a page (3) at most", c.mostDecoded)
	}
	if n, _, _ := c.take(); n != len(ids) {
		t.Errorf("decoded %d, want each of the %d once", n, len(ids))
	}
	for _, q := range w.outbox() {
		if q.Notice.Kind != "daily_progress" {
			continue
		}
		for _, id := range ids {
			if !slices.ContainsFunc(splitLines(q.Notice.Params["tasks"]), func(l string) bool { return len(l) > 0 && hasCollab(l, id) }) {
				t.Errorf("%s's request lists no task of %s: %q", q.Notice.To, id, q.Notice.Params["tasks"])
			}
		}
	}
	// Each was noted: the next minute reads nothing.
	w.tick("2026-11-24 17:01")
	if n, _, applies := c.take(); n != 0 || applies != 0 {
		t.Errorf("the next minute decoded %d and wrote %d times, want 0 and 0", n, applies)
	}
}

// A collaboration at a page's edge is read once, and one saved while the
// scan is past it, or between its page's reading and writing, fires once.
func TestPageEdgesSkipNothing(t *testing.T) {
	w := newWorld(t)
	var ids []bot.CollabID
	for range 5 {
		ids = append(ids, w.submit(at("2026-11-23 10:00")))
	}
	w.sched.Page = 2
	c := w.counted()
	edit := func(id bot.CollabID) {
		w.change(id, func(c *bot.Collaboration, _ bot.Tx) error { c.Request.Goal += "!"; return nil })
	}
	// Pages: ids[0..1], ids[2..3], ids[4]. Once the second page is read,
	// the first page's last collaboration and the second's first change.
	c.listed = func(after bot.CollabID) {
		if after == ids[1] {
			c.listed = nil
			edit(ids[1])
			edit(ids[2])
		}
	}
	w.tick("2026-11-24 10:00")
	want := slices.Repeat([]string{"ack_reminder→ben", "ack_reminder→fiona"}, len(ids))
	slices.Sort(want)
	equal(t, "each collaboration's reminders, once", w.reminders(), want)
	c.take()
	// ids[1] changed after its page was written: it is due again, and
	// read again, and sends nothing twice.
	equal(t, "10:01", sent(w.tick("2026-11-24 10:01")), nil)
	if n, _, _ := c.take(); n != 1 {
		t.Errorf("10:01 decoded %d, want the one saved after its page (1)", n)
	}
	equal(t, "still once", w.reminders(), want)
	equal(t, "10:02", sent(w.tick("2026-11-24 10:02")), nil)
	if n, _, _ := c.take(); n != 0 {
		t.Errorf("10:02 decoded %d, want 0", n)
	}
}

// hasCollab reports whether a line of a progress request is a task of id.
func hasCollab(line string, id bot.CollabID) bool {
	return strings.HasPrefix(line, id.String()+"\t")
}
