package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/collabot/collabot/bot"
)

// DefaultScan asks what is due every minute.
const DefaultScan = "* * * * *"

// ParseSpec checks a cron spec (five fields, a descriptor like @hourly, an
// optional CRON_TZ= prefix) without letting robfig/cron panic: it does on
// some malformed TZ= prefixes, and a typo in a config file must be an
// error at start-up, not a crash.
func ParseSpec(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("scheduler: cron spec %q is malformed", spec)
		}
	}()
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("scheduler: cron spec %q: %w", spec, err)
	}
	return s, nil
}

// Runner runs the scheduler on cron: a due-scan on Scan (every minute by
// default), plus entries at the daily progress, summary and weekly times
// so those go out on the minute. The extra entries run the same idempotent
// scan, and only on business days: cron's weekday field knows nothing of
// holidays and make-up working days, the calendar does.
type Runner struct {
	Scheduler *Scheduler
	Scan      string    // cron spec; DefaultScan if empty
	Clock     bot.Clock // what "now" is for each scan
	Log       *slog.Logger
	// OnTick is told what each scan did (the dispatcher is kicked with it).
	OnTick func(Report)
	// Lease, when set, lets one replica of several do the scans. Nothing
	// depends on it for correctness — the reminder ledger makes a scan by
	// two replicas send once — it spares the others the work.
	Lease Lease
}

// Lease runs fn only while this process holds it, reporting whether fn
// ran; a lease that cannot be checked (Redis down) runs fn anyway.
type Lease interface {
	Do(ctx context.Context, fn func(ctx context.Context) error) (ran bool, err error)
}

// Run scans once at once — catching up with whatever fell due while the
// process was down — then on schedule until ctx is done. A scan that
// panics is logged and the next one runs as usual.
func (r *Runner) Run(ctx context.Context) error {
	c, err := r.cron()
	if err != nil {
		return err
	}
	r.scan(ctx)
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done() // wait for a scan in flight
	return nil
}

func (r *Runner) cron() (*cron.Cron, error) {
	scan := r.Scan
	if scan == "" {
		scan = DefaultScan
	}
	loc := r.Scheduler.Calendar.Location()
	c := cron.New(cron.WithLocation(loc), cron.WithLogger(cronLogger{r.log()}), cron.WithChain(Chain(r.log())...))
	if _, err := ParseSpec(scan); err != nil {
		return nil, err
	}
	ctx := context.Background()
	if _, err := c.AddFunc(scan, func() { r.scan(ctx) }); err != nil {
		return nil, fmt.Errorf("scheduler: scan %q: %w", scan, err)
	}
	p := r.Scheduler.Policy
	for _, at := range []time.Duration{p.DailyProgress.At, p.DailyProgress.SummaryAt, p.WeeklySummary.At, p.WeeklyDigest.At} {
		spec := fmt.Sprintf("%d %d * * *", int(at.Minutes())%60, int(at.Hours()))
		if _, err := c.AddFunc(spec, func() {
			if r.Scheduler.Calendar.IsBusinessDay(r.now()) {
				r.scan(ctx)
			}
		}); err != nil {
			return nil, fmt.Errorf("scheduler: entry %q: %w", spec, err)
		}
	}
	return c, nil
}

// Chain is the order that keeps a panicking job alive: SkipIfStillRunning
// outside, Recover inside. The other way round, robfig's
// SkipIfStillRunning never gets its token back after a panic and skips the
// job forever.
func Chain(log *slog.Logger) []cron.JobWrapper {
	l := cronLogger{log}
	return []cron.JobWrapper{cron.SkipIfStillRunning(l), cron.Recover(l)}
}

func (r *Runner) scan(ctx context.Context) {
	defer func() {
		// The first scan runs outside cron's Recover; a later one inside.
		if p := recover(); p != nil {
			r.log().Error("scheduler: scan panicked", "panic", p)
		}
	}()
	start := time.Now()
	var rep Report
	tick := func(ctx context.Context) (err error) {
		rep, err = r.Scheduler.Tick(ctx, r.now(), false)
		return err
	}
	var err error
	if r.Lease == nil {
		err = tick(ctx)
	} else {
		var ran bool
		if ran, err = r.Lease.Do(ctx, tick); !ran && err == nil {
			r.log().Debug("scheduler: another replica holds the scan lease")
			return
		}
	}
	log := r.log()
	if err != nil {
		log.Error("scheduler: scan failed", "err", err)
	}
	if n := len(rep.Firings); n > 0 || err != nil {
		log.Info("scheduler: scan", "at", rep.At, "sent", rep.Count(bot.ReminderSent), "missed", rep.Count(bot.ReminderMissed),
			"suppressed", rep.Count(bot.ReminderSuppressed), "snoozed", rep.Count(bot.ReminderSnoozed), "skipped", rep.Count(bot.ReminderSkipped),
			"waiting", rep.Count(bot.ReminderWaiting), "latency", time.Since(start))
	}
	if r.OnTick != nil {
		r.OnTick(rep)
	}
}

func (r *Runner) now() time.Time {
	if r.Clock == nil {
		return time.Now()
	}
	return r.Clock.Now()
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.Default()
	}
	return r.Log
}

// cronLogger lets robfig/cron log through slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
