package record

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Board is the progress board (进度看板) of one collaboration as a chat
// message: each department's acknowledgement, each task with its colour
// (🔴 overdue, 🟡 needs help or blocked, 🟢 on track, ✅ done) and sub-tasks
// under their parent, the summary line, and the open risks. One short line
// per thing and no tables, because DingTalk markdown has none and a phone
// screen is narrow.
func Board(c *bot.Collaboration, dir *bot.Directory, now time.Time, loc *time.Location, lang bot.Lang) string {
	if loc == nil {
		loc = time.UTC
	}
	b := &board{dir: dir, now: c.JudgedAt(now).In(loc), loc: loc, lang: lang}
	fmt.Fprintf(&b.sb, "**%s · %s %s**\n", words.Get(lang, "record.board.title", nil), c.ID, inline(clip(c.Request.Topic, 40)))
	due := label.TaskDue.In(lang) + " " + b.due(c.Request.Due)
	// A problem past its resolution date is chased (scheduler/types.go):
	// the board says so, as it does of a task past due.
	if c.Has(bot.StepResolution) && !c.Status.Closed() && !c.Request.Due.IsZero() && b.now.After(c.Request.Due) {
		due += " " + words.Get(lang, "record.typed.overdue", nil)
	}
	head := []string{c.Status.Label(lang), due}
	if c.Coordinator != "" {
		head = append(head, label.Coordinator.In(lang)+" "+b.name(c.Coordinator))
	}
	b.line(strings.Join(head, " · "))
	b.acks(c)
	b.tasks(c)
	b.risks(c)
	return strings.TrimRight(b.sb.String(), "\n")
}

// tr is a one-off label in both languages.
// plural is the key of n's form: one, or other (Chinese has one form,
// written twice).
func plural(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}

type board struct {
	sb   strings.Builder
	dir  *bot.Directory
	now  time.Time
	loc  *time.Location
	lang bot.Lang
}

func (b *board) line(s string) { b.sb.WriteString(s + "\n") }

func (b *board) heading(t bot.Text) { b.line("\n**" + t.In(b.lang) + "**") }

func (b *board) name(id bot.PersonID) string {
	if b.dir != nil {
		if p, ok := b.dir.Person(id); ok && p.Name != "" {
			return inline(p.Name)
		}
	}
	return inline(string(id))
}

// due leaves out the year while it is this year's: the line stays short
// and nobody misreads a date a few weeks ahead.
func (b *board) due(t time.Time) string {
	t = t.In(b.loc)
	if t.Year() == b.now.Year() {
		return t.Format("01-02 15:04")
	}
	return t.Format(stamp)
}

func (b *board) acks(c *bot.Collaboration) {
	// An alignment's answers are read receipts, not acceptances.
	receipts := c.Has(bot.StepReadReceipt)
	status := func(a bot.Acknowledgement) string { return a.Status.Label(b.lang) }
	if receipts {
		b.heading(tl.Receipts)
		status = func(a bot.Acknowledgement) string {
			if a.Status == bot.AckAccepted {
				return tl.Confirmed.In(b.lang)
			}
			return tl.Unconfirmed.In(b.lang)
		}
	} else {
		b.heading(label.Acks)
	}
	acks := c.Acks
	if len(acks) == 0 {
		// Before submission nobody has been asked yet: every department
		// is still to answer.
		for _, a := range c.Request.Departments {
			acks = append(acks, bot.Acknowledgement{Department: a.Department, Contact: a.Contact, Status: bot.AckPending})
		}
	}
	if len(acks) == 0 {
		b.line(label.None.In(b.lang))
	}
	for _, a := range acks {
		line := fmt.Sprintf("- %s %s · %s · %s", ackEmoji(a.Status), inline(a.Department), b.name(a.Contact), status(a))
		if receipts && a.Status == bot.AckAccepted && a.Question != "" && a.Answer == "" {
			line += " · " + words.Get(b.lang, "record.typed.question_open", words.Args{"question": inline(clip(a.Question, 40))})
		}
		b.line(line)
	}
}

func (b *board) tasks(c *bot.Collaboration) {
	if len(c.Tasks) == 0 && !c.Has(bot.StepPlan) {
		return // a loan or an alignment plans no tasks: no empty list for them
	}
	b.heading(label.Tasks)
	if len(c.Tasks) == 0 {
		b.line(words.Get(b.lang, "record.board.no_tasks", nil))
		return
	}
	present := map[bot.TaskID]bool{}
	for _, t := range c.Tasks {
		present[t.ID] = true
	}
	for _, t := range wbs(c.Tasks) {
		indent := ""
		if t.Parent != 0 && present[t.Parent] {
			indent = "  "
		}
		shown := t.Shown(b.now)
		status := TaskState(shown, t.Status, t.StatusNote, b.lang, func(s string) string { return inline(clip(s, 24)) })
		b.line(fmt.Sprintf("%s- %s %s %s · %s · %s · %s", indent, TaskEmoji(shown), t.ID, inline(clip(t.Title, 30)),
			b.name(t.Owner), b.due(t.Due), status))
	}
	// A blank line first: right after the list, Markdown would read the
	// summary as part of the last task.
	b.line("\n" + countLine(count(c, b.now), b.lang))
}

func (b *board) risks(c *bot.Collaboration) {
	var open []*bot.Risk
	for _, r := range c.Risks {
		if r.Status != bot.RiskResolved {
			open = append(open, r)
		}
	}
	if len(open) == 0 {
		return
	}
	rank := map[bot.Severity]int{bot.SeverityHigh: 0, bot.SeverityMedium: 1, bot.SeverityLow: 2}
	slices.SortStableFunc(open, func(x, y *bot.Risk) int { return cmp.Compare(rank[x.Severity], rank[y.Severity]) })
	b.heading(label.OpenRisks)
	for _, r := range open {
		b.line(fmt.Sprintf("- %s %s %s · %s · %s", r.ID, severityTag(string(r.Severity), b.lang),
			inline(clip(r.Description, 40)), b.name(r.Owner), r.Status.Label(b.lang)))
	}
}

// Summary is one line per collaboration for lists:
// "COL-3 · 新品推广接口调试 · 进行中 · 5 项任务,1 🔴".
func Summary(c *bot.Collaboration, now time.Time, lang bot.Lang) string {
	return SummaryLine(c.Summarize(now), lang)
}

// SummaryLine is the line of a list for a collaboration summarised
// (bot.Summary), as Summary writes it.
func SummaryLine(n bot.Summary, lang bot.Lang) string {
	parts := []string{n.ID.String(), inline(clip(n.Topic, 40)), n.Status.Label(lang)}
	if n.Tasks > 0 {
		tasks := words.Get(lang, plural(n.Tasks, "record.summary.tasks.one", "record.summary.tasks.other"), words.Args{"n": n.Tasks})
		for _, k := range []struct {
			n     int
			emoji string
		}{{n.Overdue, "🔴"}, {n.NeedsHelp, "🟡"}} {
			if k.n > 0 {
				tasks += words.Get(lang, "record.summary.flagged", words.Args{"n": k.n, "emoji": k.emoji})
			}
		}
		if n.Done == n.Tasks {
			tasks += " ✅"
		}
		parts = append(parts, tasks)
	}
	if n.Status == bot.StatusAwaitingAck {
		parts = append(parts, words.Get(lang, "record.summary.pending_acks", words.Args{"n": n.PendingAcks}))
	}
	return strings.Join(parts, " · ")
}

// clip shortens s to n characters (not bytes: most topics are Chinese).
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
