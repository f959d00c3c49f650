package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// Scheduler writes what is due into the outbox of its workspaces.
type Scheduler struct {
	Store      bot.Store
	Calendar   *calendar.Calendar
	Policy     Policy
	Workspaces map[bot.Workspace]*bot.Directory // each workspace and its configured organisation
	Log        *slog.Logger
	// Batch bounds the firings one write transaction records (DefaultBatch
	// if 0), so a large catch-up never holds the writer long.
	Batch int
	// Page bounds how many collaborations a scan decodes at a time
	// (DefaultPage if 0): a catch-up over every collaboration holds one
	// page of documents, and keeps only a small share of each.
	Page int

	mu sync.Mutex
	// cache keeps the documents the last scan decoded, by version, when
	// it read one page or less (the few a minute finds due, some of them
	// every minute); a larger scan keeps none.
	cache map[bot.Workspace]map[bot.CollabID]*bot.Collaboration
	// known are the ledger keys this process saw recorded that the last
	// scan still found due: the ledger only grows, so they need no second
	// look, and a scan of a large workspace writes only what is new.
	known map[bot.Workspace]map[string]bool
	// rosters keep each workspace's people in memory (see bot.Roster).
	rosters map[bot.Workspace]*bot.Roster
	// basisOf is the next-due index's basis for basisYear (see basis).
	basisOf   string
	basisYear int

	// Homes, when set, republishes the home pages (Slack's App Home) the
	// clock changed: a task that turns overdue (homes.go).
	Homes HomeRefresher
	// homesSeen are the home changes this process queued that the last
	// scan still found, per workspace: they need no second look.
	homesSeen map[bot.Workspace]map[string]bool
}

// roster is the workspace's directory with the people registered on
// first contact, refreshed by the store's people version.
func (s *Scheduler) roster(ws bot.Workspace, dir *bot.Directory) *bot.Roster {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rosters[ws]
	if r == nil || r.Base() != dir {
		if s.rosters == nil {
			s.rosters = map[bot.Workspace]*bot.Roster{}
		}
		r = bot.NewRoster(dir)
		s.rosters[ws] = r
	}
	return r
}

// Report is what one tick did, for logs, `collabot tick` and tests.
type Report struct {
	At      time.Time
	Firings []Fired
}

// Fired is one firing and what became of it.
type Fired struct {
	Workspace bot.Workspace
	Firing
	// New is false when the ledger already had it: nothing was done.
	New bool
}

// Count returns how many firings were new with the given outcome; for
// ReminderWaiting, which is never recorded, how many wait.
func (r Report) Count(outcome string) int {
	n := 0
	for _, f := range r.Firings {
		if f.Outcome == outcome && (f.New || outcome == bot.ReminderWaiting) {
			n++
		}
	}
	return n
}

// open is every status in which some timer can still fire.
var open = []bot.CollabStatus{bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting, bot.StatusRetrospective}

// Tick evaluates every workspace at t and records what is due: for each
// firing the ledger entry, and if it is new and to be sent, the outbox row
// and a timeline entry, all in one transaction per workspace. With dryRun
// it only reports what would be done.
func (s *Scheduler) Tick(ctx context.Context, t time.Time, dryRun bool) (Report, error) {
	rep := Report{At: t}
	var errs []error
	for ws, dir := range s.Workspaces {
		fired, err := s.tick(ctx, ws, dir, t, dryRun)
		if err != nil {
			errs = append(errs, fmt.Errorf("workspace %s: %w", ws, err))
		}
		rep.Firings = append(rep.Firings, fired...)
	}
	if err := errors.Join(errs...); err != nil {
		return rep, fmt.Errorf("scheduler: tick at %s: %w", t.Format(time.RFC3339), err)
	}
	return rep, nil
}

// DefaultBatch is how many firings one write transaction records at most
// when Scheduler.Batch is unset: a catch-up of thousands holds the writer
// for a few milliseconds at a time, and events are applied in between.
const DefaultBatch = 1000

// tick scans a workspace page by page (pages.go), then the timers about
// several collaborations, then notes the next looks.
func (s *Scheduler) tick(ctx context.Context, ws bot.Workspace, dir *bot.Directory, t time.Time, dryRun bool) ([]Fired, error) {
	if dryRun {
		return s.dryRun(ctx, ws, dir, t)
	}
	s.mu.Lock()
	known := s.known[ws]
	s.mu.Unlock()
	sc := &scan{ws: ws, dir: dir, t: t, next: map[bot.CollabID]bot.NextDue{}, known: known,
		done: map[string]bool{}, isNew: map[string]bool{}, homes: s.homeTick(ws)}
	first, err := s.rebase(ctx, sc)
	if err != nil {
		return nil, err
	}
	for after := bot.CollabID(0); ; first = nil {
		pg, err := s.scanPage(ctx, sc, after, first)
		if err != nil {
			return nil, err
		}
		if after = pg.last(); !pg.full {
			break
		}
	}
	if sc.pages == 0 {
		return nil, nil // nothing due, nothing to note: the writer was not asked
	}
	if err = s.several(ctx, sc); err != nil {
		return nil, err
	}
	sortFirings(sc.due)
	fired := make([]Fired, 0, len(sc.due))
	still := make(map[string]bool, len(sc.due))
	for _, f := range sc.due {
		key := f.key()
		fired = append(fired, Fired{Workspace: ws, Firing: f, New: sc.isNew[key]})
		if f.Outcome != bot.ReminderWaiting {
			still[key] = true
		}
	}
	s.mu.Lock()
	if s.known == nil {
		s.known = map[bot.Workspace]map[string]bool{}
	}
	s.known[ws] = still
	if s.cache == nil {
		s.cache = map[bot.Workspace]map[bot.CollabID]*bot.Collaboration{}
	}
	s.cache[ws] = sc.kept
	s.mu.Unlock()
	s.homeDone(ws, sc.homes)
	return fired, nil
}

// sameState reports whether two readings of a workspace hold the same
// collaborations at the same versions (the same decoded documents), the
// same people, progress, requests and settings: Due answers the same.
// Without asked, today's progress requests are left out: a later batch of
// one tick finds those the earlier ones recorded, which changes nothing.
func sameState(a, b *State, asked bool) bool {
	return a.Directory == b.Directory &&
		slices.Equal(a.Collabs, b.Collabs) &&
		maps.Equal(a.Posted, b.Posted) &&
		(!asked || maps.Equal(a.Asked, b.Asked)) &&
		maps.EqualFunc(a.Settings, b.Settings, func(x, y bot.Settings) bool {
			return x.Lang == y.Lang && x.Department == y.Department && x.SnoozeUntil.Equal(y.SnoozeUntil) && slices.Equal(x.Leave, y.Leave)
		})
}

// key is a firing's ledger key, as this process remembers it.
func (f Firing) key() string {
	return f.Timer + "\x00" + f.Entity + "\x00" + f.Slot + "\x00" + f.Outcome
}

// record writes one firing. A snoozed one is noted once (under its own
// ledger key) and left due, so it goes out when the snooze ends.
func (s *Scheduler) record(ctx context.Context, tx bot.Tx, f Firing, t time.Time) (bool, error) {
	key := f.Reminder(t, f.Outcome)
	if f.Outcome == bot.ReminderSnoozed {
		key.Timer += "/snoozed"
	}
	isNew, err := tx.RecordReminder(ctx, key)
	if err != nil || !isNew {
		return false, err
	}
	if f.Outcome == bot.ReminderSent {
		if _, err := tx.Enqueue(ctx, f.Notice()); err != nil {
			return false, err
		}
	}
	action := map[string]string{bot.ReminderSent: "reminder_sent", bot.ReminderMissed: "reminder_missed",
		bot.ReminderSuppressed: "reminder_suppressed", bot.ReminderSnoozed: "reminder_snoozed"}[f.Outcome]
	to := "#group"
	if f.To != "" {
		to = "@" + string(f.To)
	}
	var entries []bot.TimelineEntry
	for _, c := range append([]bot.CollabID{f.Collab}, f.Also...) {
		if c == 0 {
			continue // about the workspace: no collaboration's record
		}
		entries = append(entries, bot.TimelineEntry{Collab: c, At: t, Action: action, Subject: f.Timer, Note: to + " " + f.Subject})
	}
	return true, tx.Record(ctx, entries...)
}

// surroundings reads the rest of what Due needs: people, today's
// progress, settings and, with asked, today's progress requests (the
// summaries need them; a workspace's worth of ledger rows is not worth
// reading for anything else).
func (s *Scheduler) surroundings(ctx context.Context, tx bot.Tx, ws bot.Workspace, dir *bot.Directory, t time.Time, st *State, asked bool) error {
	var err error
	if st.Directory, err = s.roster(ws, dir).Directory(ctx, ws, tx); err != nil {
		return err
	}
	day := t.In(s.Calendar.Location()).Format(time.DateOnly)
	posted, err := tx.Posted(ctx, day)
	if err != nil {
		return err
	}
	st.Posted = make(map[bot.Posted]bool, len(posted))
	for _, p := range posted {
		st.Posted[p] = true
	}
	if asked {
		requests, err := tx.Reminders(ctx, DailyProgress, day)
		if err != nil {
			return err
		}
		st.Asked = make(map[bot.PersonID]string, len(requests))
		for _, r := range requests {
			st.Asked[bot.PersonID(r.Entity)] = r.Outcome
		}
	}
	st.Settings, err = tx.AllSettings(ctx)
	return err
}

// summaries reports whether a progress summary may be due at t: one of
// the shares has its time come today.
func summaries(shares []*share) bool {
	return slices.ContainsFunc(shares, func(c *share) bool { return !c.summaryAt.IsZero() })
}

// basis is the index's basis at t, computed once a year per process.
func (s *Scheduler) basis(t time.Time) string {
	y := t.In(s.Calendar.Location()).Year()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.basisYear != y || s.basisOf == "" {
		s.basisYear, s.basisOf = y, basis(s.Policy, s.Calendar, t)
	}
	return s.basisOf
}
