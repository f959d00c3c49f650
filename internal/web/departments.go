package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// Figures reads the rows the Departments page counts (sqlite.Store does,
// with queries). Without it the page is not offered.
type Figures interface {
	DepartmentFacts(ctx context.Context, ws bot.Workspace, since time.Time) (bot.DeptFacts, error)
}

// periods are the windows the page compares, each against the one before.
var periods = []int{30, 90}

// deptFigures are one department's figures over one window.
type deptFigures struct {
	AcksOnTime, AcksDue int             // answered within the acknowledgement timer / asked and due or answered
	AckTimes            []time.Duration // business hours from asking to answering
	TasksOnTime         int             // done by their due date
	TasksLate           int             // done late, or open past the due date
	TasksDue            int             // fell due in the window
	Help                int             // set to needs help or blocked
}

func (f deptFigures) median() (time.Duration, bool) {
	if len(f.AckTimes) == 0 {
		return 0, false
	}
	s := slices.Clone(f.AckTimes)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// count sums up the facts of one department in [from, to), as they stood
// at now. An acknowledgement counts in the window it was asked in, once
// it was answered or its time ran out; a task in the window it fell due.
func count(f bot.DeptFacts, dept string, from, to, now time.Time, cal *calendar.Calendar, ackWithin calendar.Span) deptFigures {
	var d deptFigures
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	for _, a := range f.Acks {
		if a.Department != dept || !in(a.AskedAt) {
			continue
		}
		deadline := cal.Add(a.AskedAt, ackWithin)
		answered := !a.At.IsZero() && a.Status != bot.AckPending
		if !answered && now.Before(deadline) {
			continue // still within its time: neither on time nor late yet
		}
		d.AcksDue++
		if answered {
			d.AckTimes = append(d.AckTimes, cal.BusinessHoursBetween(a.AskedAt, a.At))
			if !a.At.After(deadline) {
				d.AcksOnTime++
			}
		}
	}
	for _, t := range f.Tasks {
		if t.Department != dept || !in(t.Due) || t.Due.After(now) {
			continue
		}
		d.TasksDue++
		switch {
		case t.Status == bot.TaskDone && !t.DoneAt.After(t.Due):
			d.TasksOnTime++
		default:
			d.TasksLate++ // done late, or still open past its date
		}
	}
	for _, h := range f.Help {
		if h.Department == dept && in(h.At) {
			d.Help++
		}
	}
	return d
}

// figureCell is one figure as the page shows it, with its trend.
type figureCell struct {
	Value, Detail, Previous, Trend, TrendClass string
}

type deptRow struct {
	Name      string
	HighRisks int
	Cells     []figureCell
}

type deptPage struct {
	Period  int
	Periods []option
	Heads   []string
	Rows    []deptRow
	None    bool
}

// mayFigures: department figures are for heads (their departments) and
// leadership (all).
func (v *viewer) figureDepartments() []string {
	var out []string
	for _, d := range v.Dir.Departments {
		if v.Actor.Leadership || v.Actor.Heads(d.Name) {
			out = append(out, d.Name)
		}
	}
	return out
}

func (s *Server) departments(w http.ResponseWriter, r *http.Request, v *viewer, _ bot.Tx) (int, string, page) {
	c := catalogue{v.Lang}
	depts := v.figureDepartments()
	if s.o.Figures == nil || len(depts) == 0 {
		return http.StatusNotFound, "message", page{Title: c.T("dept.title"), Nav: "depts", Data: message{Body: c.T("dept.forbidden"), Back: true}}
	}
	period := 30
	if r.URL.Query().Get("days") == "90" {
		period = 90
	}
	d := deptPage{Period: period}
	for _, p := range periods {
		d.Periods = append(d.Periods, option{Value: fmt.Sprint(p), Label: c.F("dept.days", p), Selected: p == period})
	}
	for _, k := range []string{"dept.acks_on_time", "dept.ack_median", "dept.tasks_on_time", "dept.overdue_rate", "dept.help", "dept.high_risks"} {
		d.Heads = append(d.Heads, c.T(k))
	}
	now := v.Now
	span := time.Duration(period) * 24 * time.Hour
	cur, prev := now.Add(-span), now.Add(-2*span)
	facts, err := s.o.Figures.DepartmentFacts(r.Context(), v.Workspace, prev)
	if err != nil {
		panic(err)
	}
	for _, name := range depts {
		a := count(facts, name, cur, now, now, s.o.Calendar, s.ackWithin())
		b := count(facts, name, prev, cur, now, s.o.Calendar, s.ackWithin())
		row := deptRow{Name: name}
		for _, k := range facts.Risks {
			if k.Department == name && k.Severity == bot.SeverityHigh && k.Status != bot.RiskResolved {
				row.HighRisks++
			}
		}
		am, aok := a.median()
		bm, bok := b.median()
		row.Cells = []figureCell{
			rate(c, a.AcksOnTime, a.AcksDue, b.AcksOnTime, b.AcksDue, true),
			durationCell(c, am, aok, bm, bok),
			rate(c, a.TasksOnTime, a.TasksDue, b.TasksOnTime, b.TasksDue, true),
			rate(c, a.TasksLate, a.TasksDue, b.TasksLate, b.TasksDue, false),
			number(c, a.Help, b.Help, false),
			{Value: fmt.Sprint(row.HighRisks), TrendClass: map[bool]string{true: "bad", false: ""}[row.HighRisks > 0]},
		}
		d.Rows = append(d.Rows, row)
	}
	return http.StatusOK, "departments", page{Title: c.T("dept.title"), Nav: "depts", Data: d}
}

func (s *Server) ackWithin() calendar.Span {
	if s.o.AckWithin.IsZero() {
		return calendar.Span{N: 1, Unit: calendar.BusinessDays}
	}
	return s.o.AckWithin
}

// rate is "x/y (p%)" with its trend; up is good when higherIsBetter.
func rate(c catalogue, n, of, pn, pof int, higherIsBetter bool) figureCell {
	if of == 0 {
		cell := figureCell{Value: "—"}
		if pof > 0 {
			cell.Previous = c.F("dept.previous", fmt.Sprintf("%d%%", pn*100/pof))
		}
		return cell
	}
	p := n * 100 / of
	cell := figureCell{Value: fmt.Sprintf("%d%%", p), Detail: fmt.Sprintf("%d/%d", n, of)}
	if pof == 0 {
		cell.Previous = c.T("dept.new")
		return cell
	}
	pp := pn * 100 / pof
	cell.Previous = c.F("dept.previous", fmt.Sprintf("%d%%", pp))
	cell.Trend, cell.TrendClass = trend(p-pp, higherIsBetter)
	return cell
}

func durationCell(c catalogue, d time.Duration, ok bool, pd time.Duration, pok bool) figureCell {
	if !ok {
		cell := figureCell{Value: "—"}
		if pok {
			cell.Previous = c.F("dept.previous", hours(pd))
		}
		return cell
	}
	cell := figureCell{Value: hours(d)}
	if !pok {
		cell.Previous = c.T("dept.new")
		return cell
	}
	cell.Previous = c.F("dept.previous", hours(pd))
	diff := 0
	switch {
	case d > pd:
		diff = 1
	case d < pd:
		diff = -1
	}
	cell.Trend, cell.TrendClass = trend(diff, false)
	return cell
}

func number(c catalogue, n, pn int, higherIsBetter bool) figureCell {
	cell := figureCell{Value: fmt.Sprint(n), Previous: c.F("dept.previous", fmt.Sprint(pn))}
	cell.Trend, cell.TrendClass = trend(n-pn, higherIsBetter)
	return cell
}

// trend is an arrow and whether the change is good news.
func trend(diff int, higherIsBetter bool) (string, string) {
	switch {
	case diff == 0:
		return "→", "flat"
	case (diff > 0) == higherIsBetter:
		return map[bool]string{true: "↑", false: "↓"}[diff > 0], "good"
	default:
		return map[bool]string{true: "↑", false: "↓"}[diff > 0], "bad"
	}
}
