package scheduler

import (
	"context"
	"time"

	"github.com/collabot/collabot/bot"
)

// Home pages change with the clock too: a task turns overdue (🔴) at its
// due time with nobody saving anything, so no save asks for the page to
// be published again. The scheduler finds that moment anyway — Due's
// walk of the tasks notes the due time for the next-due index to wake
// it, whether the task_due timer is on or not — and asks for the
// owner's and the coordinator's pages then, once per task and due date
// (a ledger row, whatever became of the reminder itself: waiting for
// working hours, suppressed for leave, or off).

// HomeRefresher queues home page refreshes, paced and gathered like
// those a save queues (the engine).
type HomeRefresher interface {
	RefreshHomes(ctx context.Context, ws bot.Workspace, tx bot.Tx, people []bot.PersonID, now time.Time) error
}

// homeTimer is the ledger's record of a page refreshed for a task turned
// overdue (entity: the task and the person, slot: its due time).
const homeTimer = "home_overdue"

// homeTick is what one tick of a workspace knows of home refreshes.
type homeTick struct {
	before map[string]bool // queued by this process and still due at the last tick
	still  map[string]bool // found due at this tick
}

func (s *Scheduler) homeTick(ws bot.Workspace) *homeTick {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &homeTick{before: s.homesSeen[ws], still: map[string]bool{}}
}

func (s *Scheduler) homeDone(ws bot.Workspace, h *homeTick) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.homesSeen == nil {
		s.homesSeen = map[bot.Workspace]map[string]bool{}
	}
	s.homesSeen[ws] = h.still
}

// overdueHome notes the pages task's being past due turns red: its
// owner's and the coordinator's. Entity and slot are those the task's due
// firing had when the refresh rode on it, so a page refreshed then is not
// refreshed again.
func (d *due) overdueHome(c *bot.Collaboration, task *bot.Task, ref string) {
	seen := map[bot.PersonID]bool{}
	for _, p := range []bot.PersonID{task.Owner, c.Coordinator} {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		d.homes = append(d.homes, Firing{Timer: homeTimer, Entity: ref + "@" + string(p), To: p, Collab: c.ID,
			Params: map[string]string{"due": stamp(task.Due)}})
	}
}

// homeTurned asks for the recipient's page, the first time for this due
// time; f is one of overdueHome's.
func (s *Scheduler) homeTurned(ctx context.Context, tx bot.Tx, ws bot.Workspace, f Firing, t time.Time, h *homeTick) error {
	if s.Homes == nil || f.To == "" {
		return nil
	}
	r := bot.Reminder{Timer: homeTimer, Entity: f.Entity + "/" + string(f.To), Slot: f.Params["due"], Collab: f.Collab,
		At: t, Outcome: bot.ReminderSent}
	key := r.Entity + "\x00" + r.Slot
	h.still[key] = true
	if h.before[key] {
		return nil
	}
	isNew, err := tx.RecordReminder(ctx, r)
	if err != nil || !isNew {
		return err
	}
	return s.Homes.RefreshHomes(ctx, ws, tx, []bot.PersonID{f.To}, t)
}
