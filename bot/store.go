package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Clock tells the time. Everything that depends on "now" takes it from a
// Clock so tests and the scheduler's "what is due at t" can choose it.
type Clock interface{ Now() time.Time }

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

func (f ClockFunc) Now() time.Time { return f() }

// SystemClock is the wall clock.
var SystemClock Clock = ClockFunc(time.Now)

// Store keeps collaborations durable. Apply is the only way to change
// them: one inbound event, one transaction.
type Store interface {
	// Apply runs fn in one transaction for the workspace and commits
	// everything fn did — the domain change, its timeline entries, its
	// notices — or nothing if fn returns an error. A non-empty event is
	// the inbound event's unique id ("slack:Ev123"); an event applied
	// before makes Apply return ErrDuplicateEvent without calling fn.
	Apply(ctx context.Context, ws Workspace, event string, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, ws Workspace, fn func(Tx) error) error
}

// Tx is one transaction, bound to one workspace: nothing it reads or
// writes belongs to another.
type Tx interface {
	// NextID takes the next number of a workspace sequence (COL, T, M, R).
	NextID(ctx context.Context, kind IDKind) (int64, error)
	// Collaboration loads the whole collaboration.
	Collaboration(ctx context.Context, id CollabID) (*Collaboration, error)
	// CollabOf finds the collaboration a task, meeting or risk belongs to.
	CollabOf(ctx context.Context, kind IDKind, id int64) (CollabID, error)
	// Save writes the collaboration with its pending timeline entries,
	// notices and progress updates. It fails with ErrConflict if the
	// collaboration was saved by someone else since it was loaded.
	Save(ctx context.Context, c *Collaboration) error
	// Collaborations lists the workspace's collaborations, newest first.
	Collaborations(ctx context.Context, f Filter) ([]*Collaboration, error)
	// Summaries lists the collaborations Collaborations would, each as
	// the counts a list line shows at now, without loading them.
	Summaries(ctx context.Context, f Filter, now time.Time) ([]Summary, error)
	// Timeline returns a collaboration's history, oldest first.
	Timeline(ctx context.Context, id CollabID) ([]TimelineEntry, error)
	// Progress returns the progress updates of a collaboration on a day
	// ("" for every day), oldest first.
	Progress(ctx context.Context, id CollabID, day string) ([]ProgressUpdate, error)
	// Enqueue writes notices to the outbox; a notice whose key is already
	// there is skipped. It returns how many were new.
	Enqueue(ctx context.Context, notices ...Notice) (int, error)
	// RecordReminder notes that a timer fired for an entity in a due slot;
	// it reports false if that reminder was recorded before.
	RecordReminder(ctx context.Context, r Reminder) (bool, error)
	// Reminders lists what a timer recorded in slots starting with prefix.
	Reminders(ctx context.Context, timer, slotPrefix string) ([]Reminder, error)
	// Record appends timeline entries that change nothing else (a
	// reminder sent or suppressed, a person's leave).
	Record(ctx context.Context, entries ...TimelineEntry) error
	// Versions lists the current version of each collaboration in one of
	// the statuses, so a reader that keeps decoded collaborations only
	// loads those that changed.
	Versions(ctx context.Context, status ...CollabStatus) (map[CollabID]int, error)
	// Posted lists who posted progress on a day, in any collaboration.
	Posted(ctx context.Context, day string) ([]Posted, error)
	// Recorded reports whether an inbound event was applied before, so
	// that a reader outside Apply still tells a redelivery apart.
	Recorded(ctx context.Context, event string) (bool, error)
	// PersonByIdentity finds someone registered on first contact by a platform identity.
	PersonByIdentity(ctx context.Context, id Identity) (Person, bool, error)
	// RegisterPerson adds someone met for the first time; registering the
	// same identity twice returns the person registered first.
	RegisterPerson(ctx context.Context, p Person) (Person, error)
	// People lists everyone registered on first contact.
	People(ctx context.Context) ([]Person, error)
	// PeopleSince lists those registered after the people version
	// `after` (0 for everyone) and returns the current version, which
	// grows with every registration: a process keeps everyone in memory
	// (see Roster) and asks only for what is new.
	PeopleSince(ctx context.Context, after int64) ([]Person, int64, error)

	// Dialog returns the state of a half-filled form, if there is one.
	Dialog(ctx context.Context, k DialogKey) ([]byte, bool, error)
	SaveDialog(ctx context.Context, k DialogKey, state []byte) error
	EndDialog(ctx context.Context, k DialogKey) error

	// Settings are what a person chose for themselves.
	Settings(ctx context.Context, p PersonID) (Settings, error)
	SaveSettings(ctx context.Context, p PersonID, s Settings) error
	// AllSettings returns the settings of everyone who has any.
	AllSettings(ctx context.Context) (map[PersonID]Settings, error)
}

// NextDueIndex is what a Tx may offer the scheduler so that a scan reads
// only the collaborations whose timers may fire by its instant, not every
// open one. The store keeps, per collaboration, the next instant at which
// it needs a look; saving a collaboration makes it due at once, so an edit
// that moves a timer earlier is never missed.
type NextDueIndex interface {
	// DueCollabs lists the collaborations due at t: saved since they
	// were last evaluated, never evaluated, or whose next instant is at
	// or before t; each with its current version and status.
	DueCollabs(ctx context.Context, t time.Time) ([]NextDue, error)
	// SetNextDue records when each collaboration next needs a look (a
	// zero At: not until it changes), as evaluated at its Version. An
	// entry for a collaboration saved since is ignored: it stays due.
	SetNextDue(ctx context.Context, due ...NextDue) error
	// NextDueBasis is what the recorded instants were computed with
	// ("" when nothing was); ResetNextDue makes every collaboration due
	// and records a new basis.
	NextDueBasis(ctx context.Context) (string, error)
	ResetNextDue(ctx context.Context, basis string) error
}

// NextDue is one collaboration's entry in a NextDueIndex.
type NextDue struct {
	Collab  CollabID
	Version int
	Status  CollabStatus // as read by DueCollabs
	At      time.Time
}

// Summary is a collaboration as one line of a list shows it.
type Summary struct {
	ID     CollabID
	Topic  string
	Status CollabStatus
	// Tasks counts the tasks not cancelled; Done and Overdue those of
	// them shown so (Task.Shown), NeedsHelp those stuck (Task.Stuck),
	// overdue or not: an overdue task asking for help is in both.
	Tasks, Done, Overdue, NeedsHelp int
	// PendingAcks counts the departments that have not accepted.
	PendingAcks int
}

// Summarize is the collaboration's Summary at now (at its closing, once
// closed: see JudgedAt).
func (c *Collaboration) Summarize(now time.Time) Summary {
	now = c.JudgedAt(now)
	s := Summary{ID: c.ID, Topic: c.Request.Topic, Status: c.Status}
	for _, t := range c.Tasks {
		if t.Status == TaskCancelled {
			continue
		}
		s.Tasks++
		switch {
		case t.Status == TaskDone:
			s.Done++
		case t.Overdue(now):
			s.Overdue++
		}
		// An overdue task the owner asked help for counts twice: its
		// colour is red, and its request is still waiting.
		if t.Stuck() {
			s.NeedsHelp++
		}
	}
	for _, a := range c.Acks {
		if a.Status != AckAccepted {
			s.PendingAcks++
		}
	}
	return s
}

// Posted says a person posted progress on a collaboration (on some day).
type Posted struct {
	Collab CollabID
	Person PersonID
}

// DialogKey names one conversation: a person in a channel. The same person
// can fill in one form in a group and another in a direct message.
type DialogKey struct {
	Channel string
	Person  PersonID
}

// Settings are a person's own choices.
type Settings struct {
	Lang       Lang   // "" for the workspace's language
	Department string // for people not in configuration: the department they said they belong to
	// SnoozeUntil holds the person's reminders back until then; they are
	// sent when it passes, if still due.
	SnoozeUntil time.Time
	// Leave lists the days off the person declared: no personal
	// reminders on them.
	Leave []Leave
	// Quiet is the daily window in which nothing is sent to the person;
	// it waits until the window ends.
	Quiet QuietHours
}

// Leave is a declared absence, whole days in the workspace's zone.
type Leave struct {
	From string `json:"from"` // YYYY-MM-DD
	To   string `json:"to"`   // YYYY-MM-DD, inclusive
}

// OnLeave reports whether day (YYYY-MM-DD) is inside a declared leave.
func (s Settings) OnLeave(day string) bool {
	for _, l := range s.Leave {
		if l.From <= day && day <= l.To {
			return true
		}
	}
	return false
}

// Filter narrows Collaborations.
type Filter struct {
	Status []CollabStatus // any of these; empty for all
	Person PersonID       // involving this person (see Collaboration.Participants)
	// OpenTasks keeps only collaborations in which Person owns a task
	// that is not done or cancelled.
	OpenTasks bool
	// Departments keeps collaborations that any of these departments
	// request or are asked to assist.
	Departments []string
	Group       string // discussed in this group chat ("slack:C0123")
	// Seen, when set, keeps the collaborations its person takes part in
	// or that any of its departments request or are asked to assist:
	// those a person may see (a reader still applies
	// Collaboration.VisibleTo, which also hides drafts and tells heads
	// from contacts).
	Seen *Scope
	// Awaiting keeps collaborations in which something waits for someone
	// (Collaboration.Awaits).
	Awaiting bool
	// Search keeps collaborations whose topic contains it (ASCII letters
	// in any case) or that it names ("COL-12" or "12").
	Search string
	// Overdue, when set, keeps collaborations with an open task due
	// before it.
	Overdue time.Time
	// NeedsHelp keeps collaborations with an open task that needs help
	// or is blocked, overdue or not: the request waits either way.
	NeedsHelp bool
	// Before keeps collaborations numbered below it: the next page of a
	// list newest first.
	Before CollabID
	// Soonest, with Person and OpenTasks, orders the collaborations by
	// the person's earliest open task due rather than newest first.
	Soonest bool
	Limit   int // 0 for no limit
}

// SearchID is the collaboration Search names ("COL-12" or "12"), 0 when it
// names none: a store matches it beside the topic.
func (f Filter) SearchID() CollabID {
	if n, err := strconv.ParseInt(f.Search, 10, 64); err == nil && n > 0 {
		return CollabID(n)
	}
	if id, err := ParseCollabID(f.Search); err == nil {
		return id
	}
	return 0
}

// Scope is a person and the departments they head or answer for.
type Scope struct {
	Person      PersonID
	Departments []string
}

// Reminder is one firing of a timer: "the acknowledgement of 研发部 on
// COL-3, due 2026-11-24 10:00". Its key is what makes a reminder
// at-most-once however often the scheduler asks.
type Reminder struct {
	Timer  string    // "ack", "daily_progress", "task_due" …
	Entity string    // "COL-3/研发部", "T-7", "alice"
	Slot   string    // the due slot, e.g. "2026-11-24T10:00" or "2026-11-24"
	Collab CollabID  // 0 when not about one collaboration
	At     time.Time // when it was recorded
	// Outcome is what became of it: "sent", "missed" (fell due while the
	// bot was down, too late to send), "suppressed" (the recipient is on
	// leave) or "snoozed" (held back; sent once the snooze ends).
	Outcome string
}

// Recordable is the reminder as a ledger keeps it: a timer, an entity
// and a slot are its key and must be named; an unset time is now and an
// unset outcome is sent.
func (r Reminder) Recordable(now time.Time) (Reminder, error) {
	if r.Timer == "" || r.Entity == "" || r.Slot == "" {
		return r, fmt.Errorf("reminder needs timer, entity and slot, got %q %q %q", r.Timer, r.Entity, r.Slot)
	}
	if r.At.IsZero() {
		r.At = now
	}
	if r.Outcome == "" {
		r.Outcome = ReminderSent
	}
	return r, nil
}

// Reminder outcomes.
const (
	ReminderSent       = "sent"
	ReminderMissed     = "missed"
	ReminderSuppressed = "suppressed"
	ReminderSnoozed    = "snoozed"
	// ReminderSkipped is recorded, never sent: what it was for is past (a
	// loan's due-soon reminder after its end, an agenda after the meeting
	// began).
	ReminderSkipped = "skipped"
	// ReminderWaiting is due outside working hours: nothing is recorded,
	// and the next scan inside working hours sends it, once.
	ReminderWaiting = "waiting"
)

// RemindedOnLeave begins an escalation's "reminded" parameter, followed by
// the last day of a leave (YYYY-MM-DD), when the reminder it follows did
// not go out because the person was on leave.
const RemindedOnLeave = "leave:"

// ErrReadOnly is returned by a Tx of View for anything that writes. A
// caller that tried a read-only transaction first (to stay off the
// writer) runs the work again in Apply when it sees it.
var ErrReadOnly = errors.New("store: write in a read-only transaction")
