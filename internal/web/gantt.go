package web

import (
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// gantt is the tasks of a collaboration against their due dates, laid
// out for an inline SVG: bars from start to due in the colour of what the
// task shows, an overdue task's delay in red up to today, sub-tasks
// indented under their parent, a line for today and one for the
// collaboration's expected completion. Geometry is in whole pixels of a
// fixed-width view box the page scales to the screen.
type gantt struct {
	Width, Height int
	Ticks         []tick
	Rows          []ganttRow
	Today         marker
	Due           marker
	AxisH         int
}

type tick struct {
	X      int
	Label  string
	Anchor string
}

type marker struct {
	Show   bool
	X      int
	Label  string
	LabelX int
	Anchor string
}

type ganttRow struct {
	Y, TextY, BarY, BarH int
	TextX                int
	Label                string
	Tip                  string
	X, W                 int
	Late                 bool
	LateX, LateW         int
	DueX                 int
	Class                string
	Sub                  bool
}

const (
	ganttWidth = 720
	ganttPad   = 10
	rowTop     = 40
	rowSub     = 34
	axisH      = 26
)

func buildGantt(s *record.Sheet, now time.Time, loc *time.Location, w catalogue) *gantt {
	if len(s.Tasks) == 0 {
		return nil
	}
	fallback := s.CreatedAt
	for _, t := range []time.Time{s.SubmittedAt, s.ActivatedAt} {
		if !t.IsZero() {
			fallback = t
		}
	}
	startOf := func(t record.Task) time.Time {
		st := t.Start
		if st.IsZero() {
			st = fallback
		}
		if st.After(t.Due) {
			st = t.Due.Add(-24 * time.Hour)
		}
		return st
	}
	from, to := now, now
	if !s.Due.IsZero() && s.Due.After(to) {
		to = s.Due
	}
	for _, t := range s.Tasks {
		if st := startOf(t); st.Before(from) {
			from = st
		}
		if t.Due.After(to) {
			to = t.Due
		}
		if t.Due.Before(from) {
			from = t.Due
		}
	}
	day := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	from = day(from)
	to = day(to).AddDate(0, 0, 1)
	span := to.Sub(from)
	x := func(t time.Time) int {
		f := float64(t.Sub(from)) / float64(span)
		f = max(0, min(1, f))
		return ganttPad + int(f*float64(ganttWidth-2*ganttPad)+0.5)
	}
	g := &gantt{Width: ganttWidth, AxisH: axisH}
	days := int(span.Hours()/24 + 0.5)
	step := 1
	for _, st := range []int{1, 2, 3, 7, 14, 28, 56, 112} {
		step = st
		if days/st <= 7 {
			break
		}
	}
	for d := from; d.Before(to); d = d.AddDate(0, 0, step) {
		tk := tick{X: x(d), Label: d.Format("01-02"), Anchor: "middle"}
		if tk.X < ganttPad+20 {
			tk.Anchor = "start" // the first date would be cut at the edge
		}
		g.Ticks = append(g.Ticks, tk)
	}
	y := axisH + 6
	for _, t := range s.Tasks {
		r := ganttRow{Y: y, Sub: t.Parent != "", Class: statusClass(bot.TaskStatus(t.ShownStatus))}
		h := rowTop
		r.TextX, r.BarH = ganttPad, 12
		if r.Sub {
			h, r.TextX, r.BarH = rowSub, ganttPad+16, 9
		}
		r.TextY = y + 13
		r.BarY = y + 19
		st, due := startOf(t), t.Due
		r.X, r.DueX = x(st), x(due)
		r.W = max(r.DueX-r.X, 3)
		if t.Overdue {
			r.Late, r.LateX, r.LateW = true, r.DueX, max(x(now)-r.DueX, 2)
		}
		r.Label = record.TaskEmoji(bot.TaskStatus(t.ShownStatus)) + " " + t.ID + " " + clip(t.Title, 34) + " · " + s.Name(t.Owner)
		r.Tip = t.ID + " " + t.Title + " · " + bot.TaskStatus(t.ShownStatus).Label(w.lang) + " · " + w.T("page.col.task_due") + " " +
			due.In(loc).Format("2006-01-02 15:04")
		g.Rows = append(g.Rows, r)
		y += h
	}
	g.Height = y + 4
	g.Today = mark(x(now), w.T("page.col.today"))
	if !s.Due.IsZero() {
		g.Due = mark(x(s.Due), w.T("page.col.due"))
	}
	return g
}

// mark places a vertical line's label on whichever side has room.
func mark(x int, label string) marker {
	m := marker{Show: true, X: x, Label: label, LabelX: x + 3, Anchor: "start"}
	if x > ganttWidth*2/3 {
		m.LabelX, m.Anchor = x-3, "end"
	}
	return m
}

// statusClass is a task's colour on the page (🔴🟡🟢✅), as chat draws it.
func statusClass(shown bot.TaskStatus) string { return "st-" + record.TaskSignal(shown) }

// clip shortens s to n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
