package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/figures"
)

// Figures reads the rows the Departments page counts (every store.Backend
// does, with queries). Without it the page is not offered.
type Figures interface {
	DepartmentFacts(ctx context.Context, ws bot.Workspace, since, until time.Time) (bot.DeptFacts, error)
}

type deptRow struct {
	Name      string
	HighRisks int
	Cells     []figures.Cell
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
		return http.StatusNotFound, "message", page{Title: c.T("page.dept.title"), Nav: "depts", Data: message{Body: c.T("page.dept.forbidden"), Back: true}}
	}
	period := 30
	if r.URL.Query().Get("days") == "90" {
		period = 90
	}
	d := deptPage{Period: period}
	for _, p := range figures.Periods {
		d.Periods = append(d.Periods, option{Value: fmt.Sprint(p), Label: c.F("page.dept.days", p), Selected: p == period})
	}
	d.Heads = figures.Labels(v.Lang)
	now := v.Now
	cur, prev := figures.Window(now, period)
	facts, err := s.o.Figures.DepartmentFacts(r.Context(), v.Workspace, prev, now)
	if err != nil {
		panic(err)
	}
	for _, name := range depts {
		a := figures.Count(facts, name, cur, now, now, s.o.Calendar, s.ackWithin())
		b := figures.Count(facts, name, prev, cur, now, s.o.Calendar, s.ackWithin())
		row := deptRow{Name: name, HighRisks: figures.HighRisks(facts, name)}
		row.Cells = figures.Row(a, b, row.HighRisks, v.Lang)
		d.Rows = append(d.Rows, row)
	}
	return http.StatusOK, "departments", page{Title: c.T("page.dept.title"), Nav: "depts", Data: d}
}

func (s *Server) ackWithin() calendar.Span {
	if s.o.AckWithin.IsZero() {
		return calendar.Span{N: 1, Unit: calendar.BusinessDays}
	}
	return s.o.AckWithin
}
