package scheduler_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

func TestPanickingJobRunsAgain(t *testing.T) {
	var logs bytes.Buffer
	runs := 0
	job := cron.NewChain(scheduler.Chain(slog.New(slog.NewTextHandler(&logs, nil)))...).Then(cron.FuncJob(func() {
		runs++
		if runs == 1 {
			panic("boom")
		}
	}))
	job.Run() // panics inside, recovered
	job.Run()
	job.Run()
	if runs != 3 {
		t.Errorf("the job ran %d times after panicking once, want 3", runs)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("the panic was not logged: %s", logs.String())
	}
}

// TestTheOtherOrderIsBroken documents why Chain's order matters: with
// Recover outside SkipIfStillRunning, one panic disables the job for good.
func TestTheOtherOrderIsBroken(t *testing.T) {
	l := cron.DiscardLogger
	runs := 0
	job := cron.NewChain(cron.Recover(l), cron.SkipIfStillRunning(l)).Then(cron.FuncJob(func() {
		runs++
		panic("boom")
	}))
	job.Run()
	job.Run()
	if runs != 1 {
		t.Errorf("robfig/cron ran the job %d times after a panic in the other order; if it no longer loses the token, revisit Chain's comment", runs)
	}
}

func TestParseSpec(t *testing.T) {
	cases := []struct {
		spec string
		ok   bool
	}{
		{"* * * * *", true},
		{"0 17 * * 1-5", true},
		{"CRON_TZ=Asia/Shanghai 0 17 * * *", true},
		{"@every 1m", true},
		{"@hourly", true},
		{"", false},
		{"61 * * * *", false},
		{"* * * *", false},
		{"CRON_TZ=Mars/Olympus 0 17 * * *", false},
		{"TZ=", false},                   // robfig panics on this one
		{"CRON_TZ=Asia/Shanghai", false}, // and on this
		{"TZ=Asia/Shanghai", false},
	}
	for _, c := range cases {
		_, err := scheduler.ParseSpec(c.spec)
		if (err == nil) != c.ok {
			t.Errorf("ParseSpec(%q) = %v, want ok=%v", c.spec, err, c.ok)
		}
	}
}

// TestRunnerCatchesUpAtStart: a process started after a deadline sends
// it on its first scan, before cron's first minute.
func TestRunnerCatchesUpAtStart(t *testing.T) {
	w := newWorld(t)
	w.submit(at("2026-11-23 10:00"))
	ctx, cancel := context.WithCancel(context.Background())
	var got []scheduler.Report
	r := &scheduler.Runner{Scheduler: w.sched, Clock: bot.ClockFunc(func() time.Time { return at("2026-11-24 10:30") }),
		Log: quiet(), OnTick: func(rep scheduler.Report) { got = append(got, rep); cancel() }}
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Count(bot.ReminderSent) != 2 {
		t.Fatalf("first scan = %+v", got)
	}
	bad := &scheduler.Runner{Scheduler: w.sched, Scan: "TZ=", Log: quiet()}
	if err := bad.Run(context.Background()); err == nil {
		t.Error("a malformed scan spec started")
	}
}

// heldBy is a lease another replica holds (held false) or this one does.
type heldBy struct {
	held  bool
	err   error
	after func() // called once the lease was checked
}

func (l heldBy) Do(ctx context.Context, fn func(context.Context) error) (bool, error) {
	defer l.after()
	if !l.held {
		return false, l.err
	}
	return true, fn(ctx)
}

func TestRunnerScansOnlyUnderTheLease(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lease heldBy
		scans int // reports seen for the first scan
		sent  int
	}{
		{"held", heldBy{held: true}, 1, 2},
		{"held elsewhere", heldBy{}, 0, 0},
		{"lease check failed", heldBy{err: errors.New("redis: down")}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.submit(at("2026-11-23 10:00"))
			var got []scheduler.Report
			ctx, cancel := context.WithCancel(context.Background())
			tc.lease.after = cancel // stop after the catch-up scan
			r := &scheduler.Runner{Scheduler: w.sched, Clock: bot.ClockFunc(func() time.Time { return at("2026-11-24 10:30") }),
				Log: quiet(), Lease: tc.lease, OnTick: func(rep scheduler.Report) { got = append(got, rep) }}
			if err := r.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.scans {
				t.Fatalf("%d scans reported, want %d", len(got), tc.scans)
			}
			if tc.scans > 0 && got[0].Count(bot.ReminderSent) != tc.sent {
				t.Errorf("scan sent %d, want %d", got[0].Count(bot.ReminderSent), tc.sent)
			}
		})
	}
}
