package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
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

	mu    sync.Mutex
	cache map[bot.Workspace]map[bot.CollabID]*bot.Collaboration // decoded, by version
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
var open = []bot.CollabStatus{bot.StatusInReview, bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting, bot.StatusRetrospective}

// Tick evaluates every workspace at t and records what is due: for each
// firing the ledger entry, and if it is new and to be sent, the outbox row
// and a timeline entry, all in one transaction per workspace. With dryRun
// it only reports what would be done.
func (s *Scheduler) Tick(ctx context.Context, t time.Time, dryRun bool) (Report, error) {
	rep := Report{At: t}
	var errs []error
	for ws, dir := range s.Workspaces {
		fired, err := s.tick(ctx, ws, dir, t, dryRun)
		s.release(ws)
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

func (s *Scheduler) tick(ctx context.Context, ws bot.Workspace, dir *bot.Directory, t time.Time, dryRun bool) ([]Fired, error) {
	if dryRun {
		return s.dryRun(ctx, ws, dir, t)
	}
	// Reading phase, on the read pool: decode what is due or changed and
	// ask what is due. Nothing here waits for the writer or holds it.
	var read *reading
	var due, homesDue []Firing
	var next map[bot.CollabID]time.Time
	if err := s.Store.View(ctx, ws, func(tx bot.Tx) error {
		var err error
		if read, err = s.state(ctx, tx, ws, dir, t, false); err == nil {
			due, next, homesDue = evaluate(s.Policy, s.Calendar, read.State, t)
		}
		return err
	}); err != nil {
		return nil, err
	}
	if read.idle() {
		return nil, nil // nothing due, nothing to note: the writer is not asked
	}
	// Writing phase, in batches of at most Batch firings, each its own
	// transaction: the state is read again inside it (cheap: the documents
	// are decoded already), so a person's change cannot slip between
	// reading and recording; only if something changed is Due asked again.
	// The ledger makes a firing recorded by an earlier batch a no-op, so a
	// change between batches only means evaluating afresh.
	batch := s.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	homes := s.homeTick(ws)
	s.mu.Lock()
	known := s.known[ws]
	s.mu.Unlock()
	done := map[string]bool{} // keys recorded (or found recorded) by this tick
	isNew := map[string]bool{}
	pos, first := 0, true
	for {
		// What one batch did, kept only once it is committed (a store may
		// run fn again).
		var st *reading
		var d, hd []Firing
		var nx map[bot.CollabID]time.Time
		var p int
		var fresh []string
		finished := false
		err := s.Store.Apply(ctx, ws, "", func(tx bot.Tx) error {
			st, d, nx, hd, p, fresh, finished = read, due, next, homesDue, pos, nil, false
			same, err := s.unchanged(ctx, tx, ws, dir, t, read, first)
			if err != nil {
				return err
			}
			if !same {
				if st, err = s.state(ctx, tx, ws, dir, t, false); err != nil {
					return err
				}
				d, nx, hd = evaluate(s.Policy, s.Calendar, st.State, t)
				p = 0
			}
			for n := 0; p < len(d) && n < batch; p++ {
				f := d[p]
				if f.Outcome == bot.ReminderWaiting {
					continue // sent once working hours begin
				}
				key := f.key()
				if done[key] {
					continue
				}
				if !known[key] {
					recorded, err := s.record(ctx, tx, f, t)
					if err != nil {
						return err
					}
					if recorded {
						fresh = append(fresh, key)
					}
				}
				n++
			}
			if p == len(d) {
				for _, f := range hd {
					if err := s.homeTurned(ctx, tx, ws, f, t, homes); err != nil {
						return err
					}
				}
				if err := s.noteNext(ctx, tx, st, nx); err != nil {
					return err
				}
				finished = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		from := pos
		if st != read {
			from = 0 // evaluated afresh
		}
		for _, f := range d[from:p] {
			done[f.key()] = true
		}
		for _, k := range fresh {
			isNew[k] = true
		}
		read, due, next, homesDue, pos, first = st, d, nx, hd, p, false
		if finished {
			break
		}
	}
	fired := make([]Fired, 0, len(due))
	for _, f := range due {
		n := isNew[f.key()]
		if n {
			f = f.caught()
		}
		fired = append(fired, Fired{Workspace: ws, Firing: f, New: n})
	}
	still := make(map[string]bool, len(due))
	for _, f := range due {
		if f.Outcome != bot.ReminderWaiting {
			still[f.key()] = true
		}
	}
	s.mu.Lock()
	if s.known == nil {
		s.known = map[bot.Workspace]map[string]bool{}
	}
	s.known[ws] = still
	s.mu.Unlock()
	s.homeDone(ws, homes)
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
			return x.Lang == y.Lang && x.Department == y.Department && x.SnoozeUntil.Equal(y.SnoozeUntil) && slices.Equal(x.Leave, y.Leave) && x.Quiet == y.Quiet
		})
}

// caught is what a firing goes out as when the ledger did not have it
// (Firing.Catch).
func (f Firing) caught() Firing {
	if f.Catch == nil || f.Outcome != bot.ReminderSent {
		return f
	}
	c := *f.Catch
	c.Outcome, c.Catch = f.Outcome, nil
	return c
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
	if f.Catch != nil && f.Outcome == bot.ReminderSent {
		// Missed: it goes as today's, unless today's went already.
		c := f.caught()
		if isNew, err = tx.RecordReminder(ctx, c.Reminder(t, c.Outcome)); err != nil || !isNew {
			return true, err
		}
		f = c
	}
	if f.Outcome == bot.ReminderSent {
		if _, err := tx.Enqueue(ctx, f.Notice()); err != nil {
			return false, err
		}
	}
	action := map[string]string{bot.ReminderSent: "reminder_sent", bot.ReminderMissed: "reminder_missed",
		bot.ReminderSuppressed: "reminder_suppressed", bot.ReminderSnoozed: "reminder_snoozed",
		bot.ReminderSkipped: "reminder_skipped"}[f.Outcome]
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
		if e, ok := f.redirect(c, t); ok {
			entries = append(entries, e)
		}
	}
	return true, tx.Record(ctx, entries...)
}

// reading is one reading of a workspace: the state Due needs, and what
// the next-due index said.
type reading struct {
	*State
	// indexed is false when the store keeps no next-due index, or the
	// reading was a full one (a dry run).
	indexed bool
	// closed are index entries found due whose collaboration can no
	// longer fire: they are noted as never due.
	closed []bot.NextDue
	// basis, when set, is the new basis to record: the index was built
	// with another policy or calendar, and this reading read everything.
	basis string
}

// idle reports whether a reading found nothing to evaluate nor to note.
func (r *reading) idle() bool {
	return r.indexed && len(r.Collabs) == 0 && len(r.closed) == 0 && r.basis == ""
}

// state reads what Due needs: the collaborations the store's next-due
// index finds due at t (every open one when full, when the index was
// computed on another basis, or when the store keeps none). Decoded
// collaborations are kept between ticks and reloaded only when their
// version changed.
func (s *Scheduler) state(ctx context.Context, tx bot.Tx, ws bot.Workspace, dir *bot.Directory, t time.Time, full bool) (*reading, error) {
	r := &reading{State: &State{}}
	versions, err := s.due(ctx, tx, r, t, full)
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 && r.idle() {
		return r, nil // nothing is due: nothing else is worth reading
	}
	s.mu.Lock()
	cached := s.cache[ws]
	s.mu.Unlock()
	var loaded []*bot.Collaboration
	for id, v := range versions {
		c := cached[id]
		if c == nil || c.Version != v {
			if c, err = tx.Collaboration(ctx, id); err != nil {
				return nil, err
			}
			loaded = append(loaded, c)
		}
		r.Collabs = append(r.Collabs, c)
	}
	s.keep(ws, r, loaded)
	// Oldest first, so a person's list of tasks reads the same every day.
	slices.SortFunc(r.Collabs, func(a, b *bot.Collaboration) int { return cmp.Compare(a.ID, b.ID) })
	return r, s.surroundings(ctx, tx, ws, dir, t, r.State, s.summaries(r.Collabs, t))
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

// summaries reports whether a progress summary of one of the
// collaborations may be due at t: its time has come today.
func (s *Scheduler) summaries(collabs []*bot.Collaboration, t time.Time) bool {
	loc := s.Calendar.Location()
	y, m, d := t.In(loc).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	return slices.ContainsFunc(collabs, func(c *bot.Collaboration) bool {
		p := s.Policy.For(c).DailyProgress
		return p.On && underWay(c) && !t.Before(midnight.Add(p.SummaryAt))
	})
}

// unchanged reports whether what a reading read is still so: the same
// collaborations due at the same versions, the same people, progress
// and settings, and with asked the same progress requests. It reads no
// document: a write transaction checks it before recording.
func (s *Scheduler) unchanged(ctx context.Context, tx bot.Tx, ws bot.Workspace, dir *bot.Directory, t time.Time, read *reading, asked bool) (bool, error) {
	r := &reading{State: &State{}}
	versions, err := s.due(ctx, tx, r, t, false)
	if err != nil {
		return false, err
	}
	if r.basis != read.basis || !slices.Equal(r.closed, read.closed) || len(versions) != len(read.Collabs) {
		return false, nil
	}
	for _, c := range read.Collabs {
		if v, ok := versions[c.ID]; !ok || v != c.Version {
			return false, nil
		}
	}
	if len(versions) == 0 {
		return true, nil
	}
	asked = asked && read.Asked != nil
	if err := s.surroundings(ctx, tx, ws, dir, t, r.State, asked); err != nil {
		return false, err
	}
	r.Collabs = read.Collabs
	return sameState(r.State, read.State, asked), nil
}

// keep updates the decoded collaborations kept between ticks: a reading
// of the index adds what it loaded and drops what closed; a full one
// keeps exactly what it read.
func (s *Scheduler) keep(ws bot.Workspace, r *reading, loaded []*bot.Collaboration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil {
		s.cache = map[bot.Workspace]map[bot.CollabID]*bot.Collaboration{}
	}
	kept := s.cache[ws]
	if kept == nil || !r.indexed {
		kept = make(map[bot.CollabID]*bot.Collaboration, len(r.Collabs))
		for _, c := range r.Collabs {
			kept[c.ID] = c
		}
		s.cache[ws] = kept
		return
	}
	for _, c := range loaded {
		kept[c.ID] = c
	}
	for _, c := range r.closed {
		delete(kept, c.Collab)
	}
}

// due lists the collaborations a reading evaluates, with their versions:
// those the index finds due, or every open one.
func (s *Scheduler) due(ctx context.Context, tx bot.Tx, r *reading, t time.Time, full bool) (map[bot.CollabID]int, error) {
	index, ok := tx.(bot.NextDueIndex)
	if ok && !full {
		b := s.basis(t)
		had, err := index.NextDueBasis(ctx)
		if err != nil {
			return nil, err
		}
		if had == b {
			r.indexed = true
			rows, err := index.DueCollabs(ctx, t)
			if err != nil {
				return nil, err
			}
			versions := make(map[bot.CollabID]int, len(rows))
			for _, row := range rows {
				if slices.Contains(open, row.Status) {
					versions[row.Collab] = row.Version
				} else {
					row.At = time.Time{}
					r.closed = append(r.closed, row)
				}
			}
			slices.SortFunc(r.closed, func(a, b bot.NextDue) int { return cmp.Compare(a.Collab, b.Collab) })
			return versions, nil
		}
		r.basis = b // built on another basis (or never): read everything
	}
	return tx.Versions(ctx, open...)
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

// noteNext writes to the index when each collaboration of a reading next
// needs a look; a store without an index has nothing to write.
func (s *Scheduler) noteNext(ctx context.Context, tx bot.Tx, r *reading, next map[bot.CollabID]time.Time) error {
	index, ok := tx.(bot.NextDueIndex)
	if !ok || (!r.indexed && r.basis == "") {
		return nil
	}
	if r.basis != "" {
		if err := index.ResetNextDue(ctx, r.basis); err != nil {
			return err
		}
	}
	entries := make([]bot.NextDue, 0, len(r.Collabs)+len(r.closed))
	for _, c := range r.Collabs {
		entries = append(entries, bot.NextDue{Collab: c.ID, Version: c.Version, At: next[c.ID]})
	}
	entries = append(entries, r.closed...)
	return index.SetNextDue(ctx, entries...)
}

// redirect is the timeline entry of an escalation sent to someone else
// than its recipient, who was on leave (escalate): once, with the first
// stand-in's, naming who was on leave and who got it instead; or, with
// the coordinator's, that it reached no one.
func (f Firing) redirect(c bot.CollabID, t time.Time) (bot.TimelineEntry, bool) {
	if f.Outcome != bot.ReminderSent || f.Params == nil {
		return bot.TimelineEntry{}, false
	}
	if p := f.Params[paramUnreached]; p != "" {
		return bot.TimelineEntry{Collab: c, At: t, Action: ActionEscalationUnreached, Subject: f.Subject,
			Note: "recipient: " + p + " → —"}, true
	}
	p, to := f.Params[paramInsteadOf], strings.Split(f.Params[paramRedirectedTo], ",")
	if p == "" || to[0] != string(f.To) {
		return bot.TimelineEntry{}, false
	}
	return bot.TimelineEntry{Collab: c, At: t, Action: ActionEscalationRedirected, Subject: f.Subject,
		Note: "recipient: " + p + " → " + strings.Join(to, ", ")}, true
}
