package scheduler

import (
	"cmp"
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

	mu    sync.Mutex
	cache map[bot.Workspace]map[bot.CollabID]*bot.Collaboration // decoded, by version
	// known are the ledger keys this process saw recorded that the last
	// scan still found due: the ledger only grows, so they need no second
	// look, and a scan of a large workspace writes only what is new.
	known map[bot.Workspace]map[string]bool
	// rosters keep each workspace's people in memory (see bot.Roster).
	rosters map[bot.Workspace]*bot.Roster
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

func (s *Scheduler) tick(ctx context.Context, ws bot.Workspace, dir *bot.Directory, t time.Time, dryRun bool) ([]Fired, error) {
	s.mu.Lock()
	known := s.known[ws]
	s.mu.Unlock()
	// Reading phase, on the read pool: decode what changed and ask what
	// is due. Nothing here waits for the writer or holds it.
	var read *State
	var due []Firing
	var fired []Fired
	err := s.Store.View(ctx, ws, func(tx bot.Tx) error {
		var err error
		if read, err = s.state(ctx, tx, ws, dir, t); err != nil {
			return err
		}
		due = Due(s.Policy, s.Calendar, read, t)
		if !dryRun {
			return nil
		}
		fired = fired[:0]
		for _, f := range due {
			isNew := false
			if f.Outcome != bot.ReminderWaiting {
				if isNew, err = s.record(ctx, tx, f, t, true); err != nil {
					return err
				}
			}
			fired = append(fired, Fired{Workspace: ws, Firing: f, New: isNew})
		}
		return nil
	})
	if err != nil || dryRun {
		return fired, err
	}
	// Writing phase: the state is read again inside the write transaction
	// (cheap: the documents are decoded already), so a person's change
	// cannot slip between reading and recording; only if something
	// changed since the reading phase is Due asked again.
	still := map[string]bool{}
	err = s.Store.Apply(ctx, ws, "", func(tx bot.Tx) error {
		fired = fired[:0]
		clear(still)
		st, err := s.state(ctx, tx, ws, dir, t)
		if err != nil {
			return err
		}
		if !sameState(st, read) {
			due = Due(s.Policy, s.Calendar, st, t)
		}
		for _, f := range due {
			if f.Outcome == bot.ReminderWaiting {
				fired = append(fired, Fired{Workspace: ws, Firing: f})
				continue // sent once working hours begin
			}
			key := f.Timer + "\x00" + f.Entity + "\x00" + f.Slot + "\x00" + f.Outcome
			isNew := false
			if !known[key] {
				if isNew, err = s.record(ctx, tx, f, t, false); err != nil {
					return err
				}
			}
			still[key] = true
			fired = append(fired, Fired{Workspace: ws, Firing: f, New: isNew})
		}
		return nil
	})
	if err == nil {
		s.mu.Lock()
		if s.known == nil {
			s.known = map[bot.Workspace]map[string]bool{}
		}
		s.known[ws] = still
		s.mu.Unlock()
	}
	return fired, err
}

// sameState reports whether two readings of a workspace hold the same
// collaborations at the same versions (the same decoded documents), the
// same people, progress, requests and settings: Due answers the same.
func sameState(a, b *State) bool {
	return a.Directory == b.Directory &&
		slices.Equal(a.Collabs, b.Collabs) &&
		maps.Equal(a.Posted, b.Posted) &&
		maps.Equal(a.Asked, b.Asked) &&
		maps.EqualFunc(a.Settings, b.Settings, func(x, y bot.Settings) bool {
			return x.Lang == y.Lang && x.Department == y.Department && x.SnoozeUntil.Equal(y.SnoozeUntil) && slices.Equal(x.Leave, y.Leave)
		})
}

// record writes one firing. A snoozed one is noted once (under its own
// ledger key) and left due, so it goes out when the snooze ends.
func (s *Scheduler) record(ctx context.Context, tx bot.Tx, f Firing, t time.Time, dryRun bool) (bool, error) {
	key := f.Reminder(t, f.Outcome)
	if f.Outcome == bot.ReminderSnoozed {
		key.Timer += "/snoozed"
	}
	if dryRun {
		seen, err := tx.Reminders(ctx, key.Timer, key.Slot)
		if err != nil {
			return false, err
		}
		for _, r := range seen {
			if r.Entity == key.Entity && r.Slot == key.Slot {
				return false, nil
			}
		}
		return true, nil
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

// state reads what Due needs. Decoded collaborations are kept between
// ticks and reloaded only when their version changed: a scan of a large
// workspace reads a list of versions, not every document.
func (s *Scheduler) state(ctx context.Context, tx bot.Tx, ws bot.Workspace, dir *bot.Directory, t time.Time) (*State, error) {
	day := t.In(s.Calendar.Location()).Format(time.DateOnly)
	versions, err := tx.Versions(ctx, open...)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[bot.Workspace]map[bot.CollabID]*bot.Collaboration{}
	}
	cached := s.cache[ws]
	s.mu.Unlock()
	fresh := make(map[bot.CollabID]*bot.Collaboration, len(versions))
	st := &State{Posted: map[bot.Posted]bool{}, Asked: map[bot.PersonID]string{}}
	for id, v := range versions {
		c := cached[id]
		if c == nil || c.Version != v {
			if c, err = tx.Collaboration(ctx, id); err != nil {
				return nil, err
			}
		}
		fresh[id] = c
		st.Collabs = append(st.Collabs, c)
	}
	s.mu.Lock()
	s.cache[ws] = fresh
	s.mu.Unlock()
	// Oldest first, so a person's list of tasks reads the same every day.
	slices.SortFunc(st.Collabs, func(a, b *bot.Collaboration) int { return cmp.Compare(a.ID, b.ID) })
	if st.Directory, err = s.roster(ws, dir).Directory(ctx, ws, tx); err != nil {
		return nil, err
	}
	posted, err := tx.Posted(ctx, day)
	if err != nil {
		return nil, err
	}
	for _, p := range posted {
		st.Posted[p] = true
	}
	asked, err := tx.Reminders(ctx, DailyProgress, day)
	if err != nil {
		return nil, err
	}
	for _, r := range asked {
		st.Asked[bot.PersonID(r.Entity)] = r.Outcome
	}
	if st.Settings, err = tx.AllSettings(ctx); err != nil {
		return nil, err
	}
	return st, nil
}
