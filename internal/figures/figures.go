// Package figures counts how departments keep the process over a period —
// acknowledgements on time and how long they took, tasks done on time,
// overdue rate, calls for help, open high risks — and writes them as the
// web board's Departments page and the weekly digest both show them, so
// the two always agree.
package figures

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/words"
)

// Periods are the windows the figures are given for, in days, each
// compared with the one before it.
var Periods = []int{30, 90}

// Window is the period of days ending at now and the one before it.
func Window(now time.Time, days int) (from, before time.Time) {
	span := time.Duration(days) * 24 * time.Hour
	return now.Add(-span), now.Add(-2 * span)
}

// Dept are one department's figures over one window.
type Dept struct {
	AcksOnTime, AcksDue int             // answered within the acknowledgement timer / asked and due or answered
	AckTimes            []time.Duration // business hours from asking to answering
	TasksOnTime         int             // done by their due date
	TasksLate           int             // done late, or open past the due date
	TasksDue            int             // fell due in the window
	Help                int             // set to needs help or blocked
}

// Quiet reports whether the department had nothing to count: no
// acknowledgement, no task falling due, no call for help.
func (d Dept) Quiet() bool { return d.AcksDue == 0 && d.TasksDue == 0 && d.Help == 0 }

// Median is the median time to acknowledge, if any acknowledgement was
// answered.
func (d Dept) Median() (time.Duration, bool) {
	if len(d.AckTimes) == 0 {
		return 0, false
	}
	s := slices.Clone(d.AckTimes)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// Count sums up the facts of one department in [from, to), as they stood
// at now. An acknowledgement counts in the window it was asked in, once
// it was answered or its time ran out; a task in the window it fell due.
func Count(f bot.DeptFacts, dept string, from, to, now time.Time, cal *calendar.Calendar, ackWithin calendar.Span) Dept {
	var d Dept
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
		d.TasksDue += t.N
		if t.OnTime {
			d.TasksOnTime += t.N
		} else {
			d.TasksLate += t.N // done late, or still open past its date
		}
	}
	for _, h := range f.Help {
		if h.Department == dept && in(h.At) {
			d.Help++
		}
	}
	return d
}

// HighRisks counts the department's high risks not yet resolved.
func HighRisks(f bot.DeptFacts, dept string) int {
	n := 0
	for _, k := range f.Risks {
		if k.Department == dept && k.Severity == bot.SeverityHigh && k.Status != bot.RiskResolved {
			n++
		}
	}
	return n
}

// Cell is one figure as people read it, with the period before and the
// trend: ↑ ↓ →, good or bad news.
type Cell struct {
	Value, Detail, Previous, Trend, TrendClass string
}

// labels are the figures' names, in the order Row gives them.
var labels = []string{"figures.acks_on_time", "figures.ack_median", "figures.tasks_on_time", "figures.overdue_rate", "figures.help", "figures.high_risks"}

// Labels names the figures of Row in lang.
func Labels(lang bot.Lang) []string {
	out := make([]string, len(labels))
	for i, k := range labels {
		out[i] = words.Get(lang, k, nil)
	}
	return out
}

// Row writes a department's figures for the period (cur) against the one
// before (prev), with its open high risks.
func Row(cur, prev Dept, highRisks int, lang bot.Lang) []Cell {
	w := writer{lang}
	am, aok := cur.Median()
	bm, bok := prev.Median()
	risks := Cell{Value: strconv.Itoa(highRisks)}
	if highRisks > 0 {
		risks.TrendClass = "bad"
	}
	return []Cell{
		w.rate(cur.AcksOnTime, cur.AcksDue, prev.AcksOnTime, prev.AcksDue, true),
		w.duration(am, aok, bm, bok),
		w.rate(cur.TasksOnTime, cur.TasksDue, prev.TasksOnTime, prev.TasksDue, true),
		w.rate(cur.TasksLate, cur.TasksDue, prev.TasksLate, prev.TasksDue, false),
		w.number(cur.Help, prev.Help, false),
		risks,
	}
}

type writer struct{ lang bot.Lang }

func (w writer) previous(v string) string {
	return words.Get(w.lang, "figures.previous", words.Args{"value": v})
}

// rate is "p%" of "x/y" with its trend; up is good when higherIsBetter.
func (w writer) rate(n, of, pn, pof int, higherIsBetter bool) Cell {
	if of == 0 {
		cell := Cell{Value: "—"}
		if pof > 0 {
			cell.Previous = w.previous(fmt.Sprintf("%d%%", pn*100/pof))
		}
		return cell
	}
	p := n * 100 / of
	cell := Cell{Value: fmt.Sprintf("%d%%", p), Detail: fmt.Sprintf("%d/%d", n, of)}
	if pof == 0 {
		cell.Previous = words.Get(w.lang, "figures.new", nil)
		return cell
	}
	pp := pn * 100 / pof
	cell.Previous = w.previous(fmt.Sprintf("%d%%", pp))
	cell.Trend, cell.TrendClass = trend(p-pp, higherIsBetter)
	return cell
}

func (w writer) duration(d time.Duration, ok bool, pd time.Duration, pok bool) Cell {
	if !ok {
		cell := Cell{Value: "—"}
		if pok {
			cell.Previous = w.previous(Hours(pd, w.lang))
		}
		return cell
	}
	cell := Cell{Value: Hours(d, w.lang)}
	if !pok {
		cell.Previous = words.Get(w.lang, "figures.new", nil)
		return cell
	}
	cell.Previous = w.previous(Hours(pd, w.lang))
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

func (w writer) number(n, pn int, higherIsBetter bool) Cell {
	cell := Cell{Value: strconv.Itoa(n), Previous: w.previous(strconv.Itoa(pn))}
	cell.Trend, cell.TrendClass = trend(n-pn, higherIsBetter)
	return cell
}

// trend is an arrow and whether the change is good news.
func trend(diff int, higherIsBetter bool) (string, string) {
	arrow := map[bool]string{true: "↑", false: "↓"}[diff > 0]
	switch {
	case diff == 0:
		return "→", "flat"
	case (diff > 0) == higherIsBetter:
		return arrow, "good"
	default:
		return arrow, "bad"
	}
}

// Hours writes a span of business time: "45 min", "2.5 h".
func Hours(d time.Duration, lang bot.Lang) string {
	if d < time.Hour {
		return words.Get(lang, "figures.minutes", words.Args{"n": int(d.Minutes())})
	}
	return words.Get(lang, "figures.hours", words.Args{"n": strconv.FormatFloat(float64(d)/float64(time.Hour), 'f', 1, 64)})
}
