package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/figures"
	"github.com/collabot/collabot/internal/words"
)

// departmentFacts is what the store reads for the department figures
// (every store.Backend does, with queries). Without it the digest has no figures
// and says so.
type departmentFacts interface {
	DepartmentFacts(ctx context.Context, ws bot.Workspace, since, until time.Time) (bot.DeptFacts, error)
	// AttentionTasks lists the open tasks overdue at now or needing help.
	AttentionTasks(ctx context.Context, ws bot.Workspace, now time.Time) ([]bot.TaskFact, error)
}

// digestPeriod is the window of the digest's figures: the web board's
// Departments page opens on the same one, so the two read alike.
const digestPeriod = 30

// digestReading is what a digest reads with the store's queries: the
// departments' figures over two periods and the tasks needing attention.
type digestReading struct {
	facts bot.DeptFacts
	tasks []bot.TaskFact
}

// readDigest reads a digest's figures at now; nil when the store keeps
// none (the digest then says so).
func (e *Engine) readDigest(ctx context.Context, ws bot.Workspace) (*digestReading, error) {
	reader, ok := e.Store.(departmentFacts)
	if !ok {
		return nil, nil
	}
	now := e.Clock.Now()
	_, prev := figures.Window(now, digestPeriod)
	facts, err := reader.DepartmentFacts(ctx, ws, prev, now)
	if err != nil {
		return nil, fmt.Errorf("engine: digest figures: %w", err)
	}
	tasks, err := reader.AttentionTasks(ctx, ws, now)
	if err != nil {
		return nil, fmt.Errorf("engine: digest: %w", err)
	}
	return &digestReading{facts: facts, tasks: tasks}, nil
}

// digestItems caps each list of tasks a digest names; the board has them all.
const digestItems = 8

// digest writes the weekly digest for its reader: the figures of the
// departments they head (every department for leadership), one line
// each, and the tasks of those departments that are overdue or need help
// now, with the reader's board link.
//
// The figures are read before the notice's transaction (readDigest):
// read inside it, they would hold a second connection of a pooled store
// while the first waits, and enough digests at once would take them all.
func (e *Engine) digest(ctx context.Context, ws bot.Workspace, tx bot.Tx, n bot.Notice, dir *bot.Directory, read *digestReading) (bot.Text, error) {
	depts := strings.Fields(strings.ReplaceAll(n.Params["departments"], "\n", " "))
	if len(depts) == 0 { // leadership
		for _, d := range dir.Departments {
			depts = append(depts, d.Name)
		}
	}
	now := e.Clock.Now()
	out := map[bot.Lang][]string{}
	add := func(key string, args words.Args) {
		for _, l := range []bot.Lang{bot.Chinese, bot.English} {
			out[l] = append(out[l], words.Get(l, key, args))
		}
	}
	if read == nil {
		add("digest.no_figures", nil)
		return lines(out), nil
	}
	cur, prev := figures.Window(now, digestPeriod)
	facts := read.facts
	add("digest.period", words.Args{"days": digestPeriod})
	ackWithin := e.Policy.Acknowledgement.After
	requested, err := requestedBy(ctx, tx, depts)
	if err != nil {
		return bot.Text{}, err
	}
	var quiet []string
	for _, d := range depts {
		a := figures.Count(facts, d, cur, now, now, e.Calendar, ackWithin)
		b := figures.Count(facts, d, prev, cur, now, e.Calendar, ackWithin)
		if a.Quiet() && b.Quiet() && figures.HighRisks(facts, d) == 0 {
			if refs := requested.refs(d); len(refs) > 0 {
				// Its figures count the work it does, as the web board's
				// Departments page does; what it asked others for is under
				// way, and is not "nothing to count".
				add("digest.requesting", words.Args{"department": d, "n": len(refs), "refs": refs})
				continue
			}
			quiet = append(quiet, d) // a row of dashes says nothing
			continue
		}
		for _, l := range []bot.Lang{bot.Chinese, bot.English} {
			cells := figures.Row(a, b, figures.HighRisks(facts, d), l)
			var parts []string
			for i, label := range figures.Labels(l) {
				v := cells[i].Value
				if cells[i].Detail != "" {
					v += " (" + cells[i].Detail + ")"
				}
				parts = append(parts, label+" "+strings.TrimSpace(v+" "+cells[i].Trend))
			}
			out[l] = append(out[l], "• **"+d+"** "+strings.Join(parts, " · "))
		}
	}
	if len(quiet) > 0 {
		list := make(bot.List, len(quiet))
		for i, d := range quiet {
			list[i] = d
		}
		add("digest.quiet", words.Args{"departments": list, "days": digestPeriod})
	}
	late, help, err := e.attention(ctx, tx, read.tasks, depts, requested, dir)
	if err != nil {
		return bot.Text{}, err
	}
	for _, list := range []struct {
		key   string
		items []bot.Text
	}{{"digest.overdue", late}, {"digest.help", help}} {
		if len(list.items) == 0 {
			continue
		}
		add(list.key, words.Args{"n": len(list.items)})
		for i, it := range list.items {
			if i == digestItems {
				add("digest.more", words.Args{"n": len(list.items) - digestItems})
				break
			}
			out[bot.Chinese] = append(out[bot.Chinese], it.ZH)
			out[bot.English] = append(out[bot.English], it.EN)
		}
	}
	if len(late)+len(help) == 0 {
		add("digest.calm", nil)
	}
	if e.Web != nil {
		if url, _, err := e.Web.Link(ws, n.To); err == nil {
			add("digest.link", words.Args{"url": url})
		}
	}
	return lines(out), nil
}

func lines(out map[bot.Lang][]string) bot.Text {
	return bot.Text{ZH: strings.Join(out[bot.Chinese], "\n"), EN: strings.Join(out[bot.English], "\n")}
}

// underWay are the collaborations whose tasks a digest chases.
var underWay = []bot.CollabStatus{bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting}

// requests are the collaborations under way that the reader's departments
// requested, by requesting department.
type requests map[string][]*bot.Collaboration

func (r requests) refs(dept string) bot.List {
	var out bot.List
	for _, c := range r[dept] {
		out = append(out, c.ID.String())
	}
	return out
}

func (r requests) has(id bot.CollabID) bool {
	for _, cs := range r {
		for _, c := range cs {
			if c.ID == id {
				return true
			}
		}
	}
	return false
}

// requestedBy reads the collaborations under way that depts requested.
func requestedBy(ctx context.Context, tx bot.Tx, depts []string) (requests, error) {
	cs, err := tx.Collaborations(ctx, bot.Filter{Status: underWay, Departments: depts})
	if err != nil {
		return nil, fmt.Errorf("engine: digest: %w", err)
	}
	out := requests{}
	for _, c := range cs {
		if slices.Contains(depts, c.RequestingDept) {
			out[c.RequestingDept] = append(out[c.RequestingDept], c)
		}
	}
	for _, cs := range out {
		slices.SortFunc(cs, func(a, b *bot.Collaboration) int { return int(a.ID - b.ID) })
	}
	return out, nil
}

// attention lists the tasks that are overdue now, and those that need
// help or are blocked, in collaborations still under way: the
// departments' own tasks, and every task of a collaboration they
// requested, whichever department does it (the head of the requesting
// department is who waits for it).
func (e *Engine) attention(ctx context.Context, tx bot.Tx, tasks []bot.TaskFact, depts []string, requested requests, dir *bot.Directory) (late, help []bot.Text, err error) {
	now := e.Clock.Now()
	collabs := map[bot.CollabID]*bot.Collaboration{}
	for _, f := range tasks {
		if (!slices.Contains(depts, f.Department) && !requested.has(f.Collab)) || f.Status == bot.TaskDone || f.Status == bot.TaskCancelled {
			continue
		}
		overdue := !f.Due.IsZero() && f.Due.Before(now)
		needsHelp := f.Status == bot.TaskNeedsHelp || f.Status == bot.TaskBlocked
		if !overdue && !needsHelp {
			continue
		}
		c, seen := collabs[f.Collab]
		if !seen {
			if c, err = tx.Collaboration(ctx, f.Collab); err != nil {
				return nil, nil, fmt.Errorf("engine: digest: %w", err)
			}
			collabs[f.Collab] = c
		}
		if !slices.Contains(underWay, c.Status) && c.Status != bot.StatusRetrospective {
			// Closed: nothing more to chase. A task still open after
			// acceptance is still late, and counted late in the figures
			// above: it is listed with the others.
			continue
		}
		t, err := c.Task(f.Task)
		if err != nil {
			continue
		}
		owner := string(t.Owner)
		if p, ok := dir.Person(t.Owner); ok && p.Name != "" {
			owner = p.Name
		}
		args := words.Args{"ref": c.ID.String() + " " + t.ID.String(), "title": t.Title, "owner": owner,
			"department": f.Department, "due": t.Due.In(e.Calendar.Location()).Format("01-02 15:04"), "status": both(t.Status.Label)}
		if overdue {
			late = append(late, words.Text("digest.overdue_item", args))
		} else {
			help = append(help, words.Text("digest.help_item", args))
		}
	}
	return late, help, nil
}
