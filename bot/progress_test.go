package bot_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// TestSecondProgressKeepsWhatItDoesNotRestate: a second update of the day
// records what it changed, keeps the first one's task statuses and files,
// and tells the coordinator of problems only when they changed.
func TestSecondProgressKeepsWhatItDoesNotRestate(t *testing.T) {
	w := at(t, bot.StatusActive)
	ben := w.as("ben")
	file := bot.Attachment{Name: "log.txt", Link: "https://files.example.com/log.txt"}
	first := bot.ProgressUpdate{Day: "2026-11-23", Done: "接口联通", Problems: "缺测试账号",
		Changes: []bot.StatusChange{{Task: 1, Status: bot.TaskInProgress}}, Attachments: []bot.Attachment{file}}
	w.must(w.c.PostProgress(ben, first, t0))
	_, _, posted := w.c.Pending()
	prev := posted[len(posted)-1]
	told := pendingNotices(w)

	second := bot.ProgressUpdate{Day: "2026-11-23", Done: "接口联通 80%", Problems: "缺测试账号"}
	changes, err := w.c.ReplaceProgress(ben, &prev, second, t0.Add(time.Hour))
	w.must(err)
	if len(changes) != 1 || changes[0].Field != "done" {
		t.Errorf("changes = %+v", changes)
	}
	if e := lastEntry(w); e.Action != "progress_corrected" || e.Note != "done: 接口联通 → 接口联通 80%" {
		t.Errorf("last entry = %+v", e)
	}
	_, _, posted = w.c.Pending()
	got := posted[len(posted)-1]
	if len(got.Changes) != 1 || got.Changes[0].Status != bot.TaskInProgress || len(got.Attachments) != 1 {
		t.Errorf("the day's update lost the first one's statuses or files: %+v", got)
	}
	if n := pendingNotices(w); n != told {
		t.Errorf("the same problems were sent again: %v", sent(w, told))
	}

	// The same update again changes nothing and is refused.
	if _, err := w.c.ReplaceProgress(ben, &got, second, t0.Add(2*time.Hour)); bot.ErrorCode(err) != bot.CodeAlreadyDone {
		t.Errorf("unchanged correction: %v", err)
	}
	// Someone else's update of the day is not theirs to correct: it is a first post.
	if _, err := w.c.ReplaceProgress(w.as("amy"), &got, bot.ProgressUpdate{Day: "2026-11-23", Done: "协调"}, t0); err != nil || lastEntry(w).Action != "progress_posted" {
		t.Errorf("another person's update: %v, %+v", err, lastEntry(w))
	}
}
