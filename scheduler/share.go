package scheduler

import (
	"time"

	"github.com/collabot/collabot/bot"
)

// share is what one collaboration brings to the timers about several
// (a person's daily request, the progress summary that tells who was
// asked, the weekly digest, the calendar warning): a few fields, not the
// document, so a scan in pages keeps every collaboration's share and
// none of their documents.
type share struct {
	id          bot.CollabID
	version     int
	coordinator bot.PersonID
	created     time.Time
	depts       []string // the requesting and the asked departments
	// askAt and summaryAt are today's daily request and summary times
	// when they have come (zero otherwise); tasks the open tasks' owners
	// then, with each task's line of the request while it can be sent
	// (else one entry per owner).
	askAt, summaryAt time.Time
	tasks            []ownedTask
}

type ownedTask struct {
	owner bot.PersonID
	line  string
}

// share is c's share; progress only on business days, when the daily
// timers can be due.
func (d *due) share(c *bot.Collaboration, business bool) *share {
	sh := &share{id: c.ID, version: c.Version, coordinator: c.Coordinator, created: c.CreatedAt,
		depts: make([]string, 0, 1+len(c.Request.Departments))}
	sh.depts = append(sh.depts, c.RequestingDept)
	for _, a := range c.Request.Departments {
		sh.depts = append(sh.depts, a.Department)
	}
	if business {
		d.progressShare(c, sh)
	}
	return sh
}
