package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/figures"
	"github.com/collabot/collabot/internal/record"
)

// pageSize is how many collaborations or tasks a list shows at a time:
// a page costs what it shows, however many there are.
const pageSize = 50

// seen narrows f to the collaborations the viewer may see, by the
// store's indexes: leadership all of them, anyone else those they take
// part in or that the departments they head or answer for request or are
// asked to assist. What it reads still goes through visibleOf.
func seen(v *viewer, f bot.Filter) bot.Filter {
	if v.Actor.Leadership {
		return f
	}
	depts := slices.Concat(v.Actor.HeadOf, v.Actor.ContactOf)
	f.Seen = &bot.Scope{Person: v.Actor.Person, Departments: depts}
	return f
}

// visibleOf keeps the collaborations the viewer may see, by the rules.
func visibleOf(list []*bot.Collaboration, v *viewer) []*bot.Collaboration {
	out := list[:0]
	for _, c := range list {
		if c.VisibleTo(v.Actor) {
			out = append(out, c)
		}
	}
	return out
}

// read lists collaborations for a page, or fails the page.
func read(r *http.Request, tx bot.Tx, f bot.Filter) []*bot.Collaboration {
	list, err := tx.Collaborations(r.Context(), f)
	if err != nil {
		panic(err)
	}
	return list
}

// openStatuses are those of collaborations under way or not yet started.
var openStatuses = []bot.CollabStatus{bot.StatusDraft, bot.StatusInReview, bot.StatusAwaitingAck, bot.StatusActive,
	bot.StatusAccepting, bot.StatusRetrospective, bot.StatusRejected}

var closedStatuses = []bot.CollabStatus{bot.StatusArchived, bot.StatusCancelled}

// row is a collaboration in a list.
type row struct {
	ID, Topic, Status, StatusClass string
	Depts, Coordinator, Due        string
	Tasks, Done, Overdue, Help     int
	PendingAcks                    int
	Closed                         bool
	Summary                        string
}

func (v *viewer) row(c *bot.Collaboration) row {
	r := row{ID: c.ID.String(), Topic: c.Request.Topic, Status: c.Status.Label(v.Lang), StatusClass: "cs-" + string(c.Status),
		Coordinator: v.name(c.Coordinator), Due: v.day(c.Request.Due), Closed: c.Status.Closed()}
	var depts []string
	for _, a := range c.Request.Departments {
		depts = append(depts, a.Department)
	}
	r.Depts = c.RequestingDept + " → " + strings.Join(depts, map[bool]string{true: ", ", false: "、"}[v.Lang == bot.English])
	for _, t := range c.Tasks {
		if t.Status == bot.TaskCancelled {
			continue
		}
		r.Tasks++
		switch {
		case t.Status == bot.TaskDone:
			r.Done++
		case t.Overdue(v.Now):
			r.Overdue++
		}
		if t.Stuck() { // overdue or not, as bot.Collaboration.Summarize counts
			r.Help++
		}
	}
	if c.Status == bot.StatusAwaitingAck {
		for _, a := range c.Acks {
			if a.Status != bot.AckAccepted {
				r.PendingAcks++
			}
		}
	}
	w := catalogue{v.Lang}
	parts := []string{w.T("page.col.due") + " " + r.Due, w.T("page.col.coord") + " " + r.Coordinator}
	if r.Tasks > 0 {
		tasks := w.F("page.list.tasks", r.Done, r.Tasks)
		if r.Overdue > 0 {
			tasks += fmt.Sprintf(" · 🔴 %d", r.Overdue)
		}
		if r.Help > 0 {
			tasks += fmt.Sprintf(" · 🟡 %d", r.Help)
		}
		parts = append(parts, tasks)
	}
	if r.PendingAcks > 0 {
		parts = append(parts, w.F("page.list.pending", r.PendingAcks))
	}
	r.Summary = strings.Join(parts, " · ")
	return r
}

func (v *viewer) day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.Now.Location()).Format("2006-01-02")
}

func (v *viewer) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.Now.Location()).Format("2006-01-02 15:04")
}

// taskLine is one of my tasks.
type taskLine struct {
	ID, Title, Emoji, Status, Class, Due, Collab string
}

type minePage struct {
	Waiting     []waitItem
	Tasks       []taskLine
	MoreTasks   bool // more open tasks than the page shows
	Collabs     []row
	MoreCollabs string // the list of all of them, when there are more
}

func (s *Server) mine(w http.ResponseWriter, r *http.Request, v *viewer, tx bot.Tx) (int, string, page) {
	me := v.Actor.Person
	// What waits for me is in collaborations where anything waits at all.
	awaiting := visibleOf(read(r, tx, seen(v, bot.Filter{Awaiting: true})), v)
	d := minePage{Waiting: waiting(awaiting, v)}
	// My most urgent open tasks: the collaborations of my earliest due.
	withTasks := visibleOf(read(r, tx, bot.Filter{Person: me, OpenTasks: true, Soonest: true, Status: openStatuses, Limit: pageSize}), v)
	d.MoreTasks = len(withTasks) == pageSize
	for _, c := range withTasks {
		for _, t := range c.OpenTasksOf(me) {
			shown := t.Shown(v.Now)
			d.Tasks = append(d.Tasks, taskLine{ID: t.ID.String(), Title: t.Title, Emoji: record.TaskEmoji(shown),
				Status: record.TaskState(shown, t.Status, "", v.Lang, nil), Class: statusClass(shown), Due: v.when(t.Due), Collab: c.ID.String()})
		}
	}
	// Red first, then yellow, then by due date.
	rank := map[string]int{"st-red": 0, "st-yellow": 1}
	slices.SortStableFunc(d.Tasks, func(a, b taskLine) int {
		ra, okA := rank[a.Class]
		rb, okB := rank[b.Class]
		if !okA {
			ra = 2
		}
		if !okB {
			rb = 2
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Due, b.Due)
	})
	if len(d.Tasks) > pageSize {
		d.Tasks, d.MoreTasks = d.Tasks[:pageSize], true
	}
	// Work in progress first, newest first within; closed ones after.
	mine := read(r, tx, bot.Filter{Person: me, Status: openStatuses, Limit: pageSize + 1})
	if len(mine) <= pageSize {
		mine = append(mine, read(r, tx, bot.Filter{Person: me, Status: closedStatuses, Limit: pageSize + 1 - len(mine)})...)
	}
	if len(mine) > pageSize {
		mine, d.MoreCollabs = mine[:pageSize], "/web/collabs?"+url.Values{"person": {string(me)}}.Encode()
	}
	for _, c := range visibleOf(mine, v) {
		d.Collabs = append(d.Collabs, v.row(c))
	}
	c := catalogue{v.Lang}
	return http.StatusOK, "mine", page{Title: c.T("page.mine.title"), Nav: "mine", Data: d}
}

// option is a choice of a filter.
type option struct {
	Value, Label string
	Selected     bool
}

type listPage struct {
	Q                     string
	Status, Dept, Person  []option
	Overdue, Help, Active bool
	TooLong               bool
	Rows                  []row
	More                  string // the next page, when there is one
	Next                  bool   // this is a next page
}

func (s *Server) collabs(w http.ResponseWriter, r *http.Request, v *viewer, tx bot.Tx) (int, string, page) {
	q := r.URL.Query()
	d := listPage{Q: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") == "1", Help: q.Get("help") == "1"}
	if utf8.RuneCountInString(d.Q) > maxSearchRune || !utf8.ValidString(d.Q) {
		d.Q, d.TooLong = "", true
	}
	status, dept, person := q.Get("status"), q.Get("dept"), bot.PersonID(q.Get("person"))
	c := catalogue{v.Lang}
	all := []bot.CollabStatus{bot.StatusDraft, bot.StatusInReview, bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting,
		bot.StatusRetrospective, bot.StatusArchived, bot.StatusRejected, bot.StatusCancelled}
	f := bot.Filter{Person: person, Search: d.Q, Limit: pageSize + 1}
	d.Status = []option{{"", c.T("page.list.any"), status == ""}, {"open", c.T("page.list.open"), status == "open"}}
	for _, st := range all {
		d.Status = append(d.Status, option{string(st), st.Label(v.Lang), status == string(st)})
	}
	switch {
	case status == "open":
		f.Status = openStatuses
	case status != "":
		f.Status = []bot.CollabStatus{bot.CollabStatus(status)}
	}
	d.Dept = []option{{"", c.T("page.list.any"), dept == ""}}
	for _, dp := range v.Dir.Departments {
		d.Dept = append(d.Dept, option{dp.Name, dp.Name, dept == dp.Name})
	}
	if dept != "" {
		f.Departments = []string{dept}
	}
	if d.Overdue {
		f.Overdue = v.Now
	}
	f.NeedsHelp = d.Help
	if n, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && n > 0 {
		f.Before, d.Next = bot.CollabID(n), true
	}
	list := read(r, tx, seen(v, f))
	if len(list) > pageSize {
		list = list[:pageSize]
		more := url.Values{}
		for k, vs := range q {
			if k != "before" && k != "lang" {
				more[k] = vs
			}
		}
		more.Set("before", strconv.FormatInt(int64(list[len(list)-1].ID), 10))
		d.More = "/web/collabs?" + more.Encode()
	}
	for _, col := range visibleOf(list, v) {
		d.Rows = append(d.Rows, v.row(col))
	}
	// People to filter by: those of the configured organisation, and
	// whoever is chosen.
	people := map[bot.PersonID]bool{}
	for _, p := range s.o.Directory.People {
		people[p.ID] = true
	}
	if person != "" {
		people[person] = true
	}
	d.Person = []option{{"", c.T("page.list.any"), person == ""}}
	ids := make([]string, 0, len(people))
	for p := range people {
		ids = append(ids, string(p))
	}
	slices.Sort(ids)
	for _, id := range ids {
		d.Person = append(d.Person, option{id, v.name(bot.PersonID(id)), person == bot.PersonID(id)})
	}
	d.Active = status != "" || dept != "" || person != "" || d.Q != "" || d.Overdue || d.Help
	return http.StatusOK, "collabs", page{Title: c.T("page.list.title"), Nav: "collabs", Data: d}
}

// load finds the collaboration a path names, if the viewer may see it;
// nil otherwise, with no difference between missing and hidden.
func load(r *http.Request, tx bot.Tx, v *viewer) *bot.Collaboration {
	id, err := bot.ParseCollabID(r.PathValue("id"))
	if err != nil {
		return nil
	}
	c, err := tx.Collaboration(r.Context(), id)
	if err != nil || c.Workspace != v.Workspace && c.Workspace != "" || !c.VisibleTo(v.Actor) {
		return nil
	}
	return c
}

func (s *Server) notFound(v *viewer, ref string) (int, string, page) {
	c := catalogue{v.Lang}
	if len(ref) > 40 || !utf8.ValidString(ref) {
		ref = clip(strings.ToValidUTF8(ref, "?"), 40)
	}
	return http.StatusNotFound, "message", page{Title: c.T("page.notfound.title"), Data: message{Body: c.F("page.notfound.collab", ref), Back: true}}
}

// field is a label and a value of the basic information.
type field struct{ Label, Value string }

type deptLine struct {
	Name, Contact, Status, Emoji, Class string
	Asked, Answered, Latency            string
	Notes                               []string
}

type riskLine struct {
	ID, Severity, SevClass, Status, Description, Impact, Owner, Department, Mitigation, RespondBy, Response string
	Open                                                                                                    bool
	Attachments                                                                                             []string
}

type meetingLine struct {
	ID, Kind, Title, Start, Organiser, Agenda, Minutes, MinutesClass string
	Cancelled, HasAgenda                                             bool
	Attendees                                                        string
}

type taskRow struct {
	ID, Title, Emoji, Status, Class, Owner, Department, Due string
	Sub                                                     bool
}

type collabPage struct {
	ID, Topic, Status, StatusClass string
	Type                           string // the collaboration type, where not a project
	Basic                          []field
	Depts                          []deptLine
	Gantt                          *gantt
	Tasks                          []taskRow
	Counts                         string
	Risks                          []riskLine
	Meetings                       []meetingLine
	Deliveries                     []string
	Retro                          []field
	Timeline                       []timelineLine
	// Earlier counts the entries left out of a long timeline, and All
	// links to the page showing them.
	Earlier int
	All     string
}

// timelineShown is how many of the latest entries a long timeline shows
// unless everything is asked for: a collaboration that ran for months
// gathers thousands, mostly reminders.
const timelineShown = 200

type timelineLine struct {
	At, Text  string
	Reminders bool
}

func (s *Server) collab(w http.ResponseWriter, r *http.Request, v *viewer, tx bot.Tx) (int, string, page) {
	c := load(r, tx, v)
	if c == nil {
		return s.notFound(v, r.PathValue("id"))
	}
	sheet, err := record.Read(r.Context(), tx, c, v.Dir, v.Now, s.loc)
	if err != nil {
		panic(err)
	}
	wd := catalogue{v.Lang}
	d := collabPage{ID: sheet.ID, Topic: sheet.Topic, Status: c.Status.Label(v.Lang), StatusClass: "cs-" + string(c.Status)}
	if sheet.Type != bot.ProjectType {
		d.Type = record.TypeLabel(sheet.Type, v.Lang)
	}
	add := func(key, value string) {
		if strings.TrimSpace(value) != "" {
			d.Basic = append(d.Basic, field{wd.T(key), value})
		}
	}
	add("page.col.reqdept", sheet.RequestingDepartment)
	add("page.col.requester", sheet.Name(sheet.Requester))
	add("page.col.coord", sheet.Name(sheet.Coordinator))
	add("page.col.goal", sheet.Goal)
	add("page.col.reqs", sheet.Requirements)
	add("page.col.deliv", sheet.ExpectedDeliverables)
	add("page.col.standard", sheet.Standard)
	add("page.col.due", v.when(sheet.Due))
	add("page.col.scope", sheet.Scope)
	add("page.col.cadence", sheet.Cadence)
	add("page.col.riskplan", sheet.RiskPlan)
	for _, k := range sortedKeys(sheet.Extra) {
		d.Basic = append(d.Basic, field{k, sheet.Extra[k]})
	}
	add("page.col.created", v.when(sheet.CreatedAt))
	add("page.col.activated", v.when(sheet.ActivatedAt))

	for _, dp := range sheet.Departments {
		st := bot.AckStatus(dp.AckStatus)
		l := deptLine{Name: dp.Name, Contact: sheet.Name(dp.Contact), Status: st.Label(v.Lang), Class: "ack-" + dp.AckStatus,
			Asked: v.when(dp.AskedAt), Answered: v.when(dp.AnsweredAt)}
		switch {
		case !dp.AskedAt.IsZero() && !dp.AnsweredAt.IsZero() && st != bot.AckPending:
			l.Latency = wd.F("page.col.latency", figures.Hours(s.o.Calendar.BusinessHoursBetween(dp.AskedAt, dp.AnsweredAt), v.Lang))
		case !dp.AskedAt.IsZero() && st == bot.AckPending && !c.Status.Closed():
			l.Latency = wd.F("page.col.waited", figures.Hours(s.o.Calendar.BusinessHoursBetween(dp.AskedAt, v.Now), v.Lang))
		}
		for _, n := range []string{dp.Scope, dp.Resources, dp.Risks, dp.DeclineReason, dp.Alternative, dp.Question, dp.Answer} {
			if strings.TrimSpace(n) != "" {
				l.Notes = append(l.Notes, n)
			}
		}
		d.Depts = append(d.Depts, l)
	}
	d.Gantt = buildGantt(sheet, v.Now, s.loc, wd)
	for _, t := range sheet.Tasks {
		shown := bot.TaskStatus(t.ShownStatus)
		status := record.TaskState(shown, bot.TaskStatus(t.Status), t.StatusNote, v.Lang, func(s string) string { return s })
		d.Tasks = append(d.Tasks, taskRow{ID: t.ID, Title: t.Title, Emoji: record.TaskEmoji(shown), Status: status,
			Class: statusClass(shown), Owner: sheet.Name(t.Owner), Department: t.Department, Due: v.when(t.Due), Sub: t.Parent != ""})
	}
	n := sheet.Counts
	d.Counts = wd.F("page.col.counts", n.Tasks, n.Done, n.Overdue, n.NeedsHelp, n.OpenRisks)
	for _, rk := range sheet.Risks {
		d.Risks = append(d.Risks, riskLine{ID: rk.ID, Severity: bot.Severity(rk.Severity).Label(v.Lang), SevClass: "sev-" + rk.Severity,
			Status: bot.RiskStatus(rk.Status).Label(v.Lang), Description: rk.Description, Impact: rk.Impact, Owner: sheet.Name(rk.Owner),
			Department: rk.Department, Mitigation: rk.Mitigation, RespondBy: v.when(rk.ResponseDue), Response: rk.Response,
			Open: rk.Status != string(bot.RiskResolved), Attachments: attachmentLines(rk.Attachments)})
	}
	for _, m := range sheet.Meetings {
		ml := meetingLine{ID: m.ID, Kind: bot.MeetingKind(m.Kind).Label(v.Lang), Title: m.Title, Start: v.when(m.Start),
			Organiser: sheet.Name(m.Organiser), Cancelled: m.Cancelled, HasAgenda: len(m.Agenda) > 0, MinutesClass: "min-" + m.MinutesStatus}
		if m.Series != nil { // a recurring meeting: its rule, its occurrences follow
			ml.Title = strings.TrimSpace(m.Title + " " + m.Series.Rule(v.Lang))
		}
		ml.Agenda = wd.T("page.col.noagenda")
		if ml.HasAgenda {
			ml.Agenda = wd.T("page.col.agenda") + ":" + strings.Join(m.Agenda, ";")
		}
		// Only the pending state counts who is left to confirm.
		ml.Minutes = wd.F("page.col.minutes."+m.MinutesStatus, len(m.Unconfirmed))
		var att []string
		for _, a := range m.Attendees {
			att = append(att, sheet.Name(a))
		}
		ml.Attendees = strings.Join(att, "、")
		d.Meetings = append(d.Meetings, ml)
	}
	d.Deliveries = append(d.Deliveries, deliveryLines(sheet, v.Lang)...)
	for _, a := range sheet.Acceptances {
		d.Deliveries = append(d.Deliveries, bot.Verdict(a.Result).Label(v.Lang)+" · "+sheet.Name(a.By)+" · "+v.when(a.At)+" "+a.Comments)
		for _, r := range a.Results {
			mark := "✅ "
			if !r.Pass {
				mark = "❌ "
			}
			d.Deliveries = append(d.Deliveries, mark+strconv.Itoa(r.Item)+". "+r.Name+" "+r.Comment)
		}
	}
	if rt := sheet.Retrospective; rt != nil {
		d.Retro = []field{{"+", strings.Join(rt.Highlights, ";")}, {"Δ", strings.Join(rt.Improvements, ";")}, {"→", strings.Join(rt.Actions, ";")}}
	}
	lines := sheet.Sentences(v.Lang)
	if len(lines) > timelineShown && r.URL.Query().Get("timeline") != "all" {
		d.Earlier = len(lines) - timelineShown
		d.All = "?timeline=all#timeline"
		lines = lines[d.Earlier:]
	}
	for _, e := range lines {
		d.Timeline = append(d.Timeline, timelineLine{At: v.when(e.At), Text: e.Text, Reminders: e.Reminders})
	}
	return http.StatusOK, "collab", page{Title: d.ID + " · " + d.Topic, Nav: "collabs", Data: d}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// export downloads the record as the chat's export command gives it.
func (s *Server) export(w http.ResponseWriter, r *http.Request, v *viewer, tx bot.Tx) (int, string, page) {
	c := load(r, tx, v)
	if c == nil {
		return s.notFound(v, r.PathValue("id"))
	}
	format := r.PathValue("format")
	mime := map[string]string{"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8", "json": "application/json"}[format]
	if mime == "" {
		return s.notFound(v, r.PathValue("id")+"/"+format)
	}
	sheet, err := record.Read(r.Context(), tx, c, v.Dir, v.Now, s.loc)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	switch format {
	case "md":
		err = sheet.Markdown(&b, v.Lang)
	case "csv":
		err = sheet.CSV(&b, v.Lang)
	case "json":
		err = sheet.JSON(&b)
	}
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Content-Disposition", `attachment; filename="`+sheet.ID+"."+format+`"`)
	w.Write(b.Bytes())
	return 0, "", page{}
}
