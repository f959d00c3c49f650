package scheduler

import (
	"context"
	"time"

	"github.com/collabot/collabot/bot"
)

// dryRun reports what a tick at t would do, writing nothing. It reads
// every open collaboration (a dry run may ask about any instant, before
// or after the index's) and asks the ledger once per timer and slot, not
// once per firing: 10,000 progress requests share one question.
func (s *Scheduler) dryRun(ctx context.Context, ws bot.Workspace, dir *bot.Directory, t time.Time) ([]Fired, error) {
	var fired []Fired
	err := s.Store.View(ctx, ws, func(tx bot.Tx) error {
		fired = fired[:0]
		read, err := s.state(ctx, tx, ws, dir, t, true)
		if err != nil {
			return err
		}
		seen := ledger{tx: tx, slots: map[[2]string]map[string]bool{}}
		for _, f := range Due(s.Policy, s.Calendar, read.State, t) {
			isNew := false
			if f.Outcome != bot.ReminderWaiting {
				key := f.Reminder(t, f.Outcome)
				if f.Outcome == bot.ReminderSnoozed {
					key.Timer += "/snoozed"
				}
				recorded, err := seen.has(ctx, key)
				if err != nil {
					return err
				}
				isNew = !recorded
			}
			if isNew {
				f = f.caught()
			}
			fired = append(fired, Fired{Workspace: ws, Firing: f, New: isNew})
		}
		return nil
	})
	return fired, err
}

// ledger answers whether reminders were recorded, reading each timer's
// slot once.
type ledger struct {
	tx    bot.Tx
	slots map[[2]string]map[string]bool // timer, slot → entities
}

func (l ledger) has(ctx context.Context, r bot.Reminder) (bool, error) {
	k := [2]string{r.Timer, r.Slot}
	entities, ok := l.slots[k]
	if !ok {
		rows, err := l.tx.Reminders(ctx, r.Timer, r.Slot)
		if err != nil {
			return false, err
		}
		entities = make(map[string]bool, len(rows))
		for _, row := range rows {
			if row.Slot == r.Slot {
				entities[row.Entity] = true
			}
		}
		l.slots[k] = entities
	}
	return entities[r.Entity], nil
}
