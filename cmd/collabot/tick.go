package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/scheduler"
)

// tick evaluates the scheduler once at an instant and prints, per
// recipient, what it queued — or, with --dry-run, what it would queue.
func tick(ctx context.Context, e *env, args []string) error {
	var at *string
	var dry, queueOnly *bool
	if _, err := e.flags("tick", args, func(fs *flag.FlagSet) {
		at = fs.String("at", "", "the instant to evaluate, RFC 3339 (default: now)")
		dry = fs.Bool("dry-run", false, "print what is due without recording or queueing anything")
		queueOnly = fs.Bool("queue-only", false, "queue what is due without delivering it (serve delivers it later)")
	}); err != nil {
		return err
	}
	t := time.Now()
	if *at != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("%w: --at %q is not an RFC 3339 time like 2026-11-24T17:00:00+08:00", errUsage, *at)
		}
	}
	if !*dry && !*queueOnly && (e.cfg.Slack.BotToken != "" || e.cfg.DingTalk.ClientID != "") {
		return tickAndDeliver(ctx, e, t)
	}
	clock := bot.ClockFunc(func() time.Time { return t })
	store, eng, err := openEngine(ctx, e, clock)
	if err != nil {
		return err
	}
	defer store.Close()
	sched := newScheduler(e, store, eng)
	rep, err := sched.Tick(ctx, t, *dry)
	if err != nil {
		return err
	}
	return printReport(ctx, e, eng, rep, *dry)
}

// tickDelivery bounds how long tick waits for the platforms, rate limits
// included; what is left is delivered by serve or the next tick.
const tickDelivery = time.Minute

// tickAndDeliver ticks, then delivers the outbox through the configured
// platforms the way serve's dispatcher does: a system cron job running
// `collabot tick` every minute is a working deployment without serve's
// listener (replies to people still need serve).
func tickAndDeliver(ctx context.Context, e *env, t time.Time) error {
	// The clock starts at t and runs on, so rate limits and retries
	// during delivery see time pass. Redis is left out: a tick at another
	// instant must not put holds on the replicas' shared rate limits, and
	// Flush needs no lease.
	e.cfg.RedisURL = ""
	s, err := newService(ctx, e, console.NewClock(t))
	if err != nil {
		return err
	}
	defer s.close()
	rep, err := s.runner.Scheduler.Tick(ctx, t, false)
	if err != nil {
		return err
	}
	if err := printReport(ctx, e, s.eng, rep, false); err != nil {
		return err
	}
	n, err := s.dispatch.Flush(ctx, tickDelivery)
	fmt.Fprintf(e.stdout, "%d delivered\n", n)
	if err != nil {
		return fmt.Errorf("delivering: %w", err)
	}
	if depth, _, err := s.store.OutboxDepth(ctx, t); err == nil && depth > 0 {
		fmt.Fprintf(e.stdout, "%d still in the outbox (rate limits, retries or unreachable recipients); serve or the next tick delivers them\n", depth)
	}
	return nil
}

func newScheduler(e *env, store bot.Store, eng *engine.Engine) *scheduler.Scheduler {
	return &scheduler.Scheduler{Store: store, Calendar: eng.Calendar, Policy: eng.Policy,
		Workspaces: map[bot.Workspace]*bot.Directory{bot.Workspace(e.cfg.Workspace): eng.Directory}, Homes: eng,
		Log: e.log.WithGroup("scheduler")}
}

// policy is the scheduler's view of the configured timers.
func policy(t config.Timers) scheduler.Policy {
	return scheduler.Policy{
		Acknowledgement:     scheduler.Escalating{On: t.Acknowledgement.Enabled, After: t.Acknowledgement.After.Span, EscalateAfter: t.Acknowledgement.EscalateAfter.Span},
		NeedsInfo:           escalating(t.NeedsInfo),
		Review:              escalating(t.Review),
		Agenda:              scheduler.Deadline{On: t.Agenda.Enabled, After: t.Agenda.Before.Span},
		Minutes:             scheduler.Escalating{On: t.Minutes.Enabled, After: t.Minutes.After.Span, EscalateAfter: t.Minutes.EscalateAfter.Span},
		MinutesConfirmation: scheduler.Deadline{On: t.MinutesConfirmation.Enabled, After: t.MinutesConfirmation.After.Span},
		DailyProgress: scheduler.Daily{On: t.DailyProgress.Enabled, At: t.DailyProgress.At.Offset(),
			SummaryAt: t.DailyProgress.SummaryAt.Offset(), Grace: t.DailyProgress.Grace.Span},
		TaskDue:       scheduler.Escalating{On: t.TaskDue.Enabled, EscalateAfter: t.TaskDue.EscalateAfter.Span},
		RiskResponse:  scheduler.Deadline{On: t.RiskResponse.Enabled, After: t.RiskResponse.After.Span},
		Acceptance:    scheduler.Escalating{On: t.Acceptance.Enabled, After: t.Acceptance.After.Span, EscalateAfter: t.Acceptance.EscalateAfter.Span},
		Retrospective: scheduler.Deadline{On: t.Retrospective.Enabled, After: t.Retrospective.After.Span},
		WeeklySummary: scheduler.Weekly{On: t.WeeklySummary.Enabled, Day: t.WeeklySummary.Weekday.Day, At: t.WeeklySummary.At.Offset()},
		WeeklyDigest:  scheduler.Weekly{On: t.WeeklyDigest.Enabled, Day: t.WeeklyDigest.Weekday.Day, At: t.WeeklyDigest.At.Offset()},
		TaskConfirmation: scheduler.Escalating{On: t.TaskConfirmation.Enabled, After: t.TaskConfirmation.After.Span,
			EscalateAfter: t.TaskConfirmation.EscalateAfter.Span},
		Signoff:        escalating(t.Signoff),
		PlanSubmission: escalating(t.PlanSubmission),
		PlanDecision:   escalating(t.PlanDecision),

		// A new recurring meeting's occurrence on a holiday: skip or move.
		MeetingHoliday: bot.HolidayRule(t.Agenda.OnHoliday),

		// The collaboration types' own steps.
		ResourceReturn: scheduler.Escalating{On: t.ResourceReturn.Enabled, After: t.ResourceReturn.After.Span,
			EscalateAfter: t.ResourceReturn.EscalateAfter.Span},
		ReadReceipt: scheduler.ReadChase{On: t.ReadReceipt.Enabled, At: t.ReadReceipt.At.Offset()},
		Resolution:  scheduler.Escalating{On: t.Resolution.Enabled, EscalateAfter: t.Resolution.EscalateAfter.Span},
	}
}

// withProcess adds the workspace's optional steps to the timers.
func withProcess(p scheduler.Policy, pr config.Process) scheduler.Policy {
	p.Workflow = pr.Workflow()
	return p
}

func escalating(t config.EscalatingTimer) scheduler.Escalating {
	return scheduler.Escalating{On: t.Enabled, After: t.After.Span, EscalateAfter: t.EscalateAfter.Span}
}

func printReport(ctx context.Context, e *env, eng *engine.Engine, rep scheduler.Report, dry bool) error {
	verb := "queued"
	if dry {
		verb = "would queue"
	}
	fmt.Fprintf(e.stdout, "collabot tick at %s", rep.At.In(eng.Calendar.Location()).Format(time.RFC3339))
	if dry {
		fmt.Fprint(e.stdout, " (dry run: nothing recorded)")
	}
	fmt.Fprintln(e.stdout)
	already := 0
	for _, f := range rep.Firings {
		to := "#group"
		if f.To != "" {
			to = "@" + string(f.To) + " (DM)"
		}
		if f.Outcome == bot.ReminderWaiting {
			fmt.Fprintf(e.stdout, "· waiting for working hours %s %s: %s\n", to, f.Timer, f.Subject)
			continue
		}
		if !f.New {
			already++
			continue
		}
		if f.Outcome != bot.ReminderSent {
			fmt.Fprintf(e.stdout, "· %s %s %s: %s\n", f.Outcome, to, f.Timer, f.Subject)
			continue
		}
		n, err := eng.Notification(ctx, f.Workspace, f.Notice())
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "→ %s %s: %s\n", to, verb, n.Reply.Title)
	}
	fmt.Fprintf(e.stdout, "%d %s, %d missed, %d suppressed (leave), %d snoozed, %d waiting for working hours; %d already recorded\n",
		rep.Count(bot.ReminderSent), verb, rep.Count(bot.ReminderMissed), rep.Count(bot.ReminderSuppressed),
		rep.Count(bot.ReminderSnoozed), rep.Count(bot.ReminderWaiting), already)
	return nil
}
