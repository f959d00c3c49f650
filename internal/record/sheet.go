// Package record presents a collaboration as people read it outside the
// chat: the filled record sheet (跨部门沟通记录表) as Markdown, CSV or JSON,
// the progress board (进度看板) and a one-line summary for lists. It is
// platform-neutral: adapters turn its Markdown into Block Kit, DingTalk
// markdown or terminal text.
package record

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// Sheet is the filled record of one collaboration (跨部门沟通记录表), as
// exported. Its JSON form is the export schema scripts rely on: people
// appear by id (names are in People), status words are the English
// contract words, instants are RFC 3339 in the workspace's time zone.
type Sheet struct {
	ID                   string            `json:"id"`
	Workspace            string            `json:"workspace"`
	Status               string            `json:"status"`
	Topic                string            `json:"topic"`
	Goal                 string            `json:"goal"`
	Requirements         string            `json:"requirements"`
	ExpectedDeliverables string            `json:"expected_deliverables,omitempty"`
	Standard             string            `json:"standard,omitempty"`
	Scope                string            `json:"scope,omitempty"`
	Cadence              string            `json:"cadence,omitempty"`
	RiskPlan             string            `json:"risk_plan,omitempty"`
	Extra                map[string]string `json:"extra,omitempty"` // fields a deployment added, by key
	Requester            string            `json:"requester"`
	RequestingDepartment string            `json:"requesting_department"`
	Coordinator          string            `json:"coordinator"`
	Group                string            `json:"group,omitempty"`
	Due                  time.Time         `json:"due"`
	CreatedAt            time.Time         `json:"created_at"`
	SubmittedAt          time.Time         `json:"submitted_at,omitzero"`
	ActivatedAt          time.Time         `json:"activated_at,omitzero"`
	ClosedAt             time.Time         `json:"closed_at,omitzero"`

	Departments   []Department   `json:"departments"`
	Reviews       []Review       `json:"reviews"`
	Meetings      []Meeting      `json:"meetings"`
	Tasks         []Task         `json:"tasks"`
	Counts        Counts         `json:"counts"`
	Progress      []Progress     `json:"progress"`
	Risks         []Risk         `json:"risks"`
	Deliveries    []Delivery     `json:"deliveries"`
	Deliverables  []Deliverable  `json:"deliverables"`
	Acceptance    *Acceptance    `json:"acceptance"`
	Acceptances   []Acceptance   `json:"acceptances"`
	Retrospective *Retrospective `json:"retrospective"`
	Timeline      []Event        `json:"timeline"`
	// Consensus and Plans are the optional steps of seed 003 (steps.go).
	Consensus *Consensus `json:"consensus,omitempty"`
	Plans     []Plan     `json:"plans,omitempty"`

	// The collaboration type (types.go): "project" for the full process,
	// and the type's own parts, present for the types that have them.
	Type     string    `json:"type"`
	Content  string    `json:"content,omitempty"`
	Loan     *Loan     `json:"resource,omitempty"`
	Problem  *Problem  `json:"problem,omitempty"`
	Receipts []Receipt `json:"read_receipts,omitempty"`

	// People maps every person id the sheet mentions to a display name.
	People      map[string]string `json:"people"`
	GeneratedAt time.Time         `json:"generated_at"` // the "now" overdue was judged at
	Timezone    string            `json:"timezone"`

	extraLabels map[string]bot.Text // how the form named each extra field
}

// extraLabel names an extra field in lang: as the form did, else its key.
func (s *Sheet) extraLabel(key string, lang bot.Lang) string {
	if l, ok := s.extraLabels[key]; ok && l.In(lang) != "" {
		return l.In(lang)
	}
	return key
}

// Department is one assisting department and its answer (对接确认).
type Department struct {
	Name          string    `json:"name"`
	Contact       string    `json:"contact"`
	AckStatus     string    `json:"ack_status"`
	Scope         string    `json:"scope,omitempty"`
	Resources     string    `json:"resources,omitempty"`
	Risks         string    `json:"risks,omitempty"`
	DeclineReason string    `json:"decline_reason,omitempty"`
	Alternative   string    `json:"alternative,omitempty"`
	Question      string    `json:"question,omitempty"`
	Answer        string    `json:"answer,omitempty"`
	AskedAt       time.Time `json:"asked_at,omitzero"`
	AnsweredBy    string    `json:"answered_by,omitempty"`
	AnsweredAt    time.Time `json:"answered_at,omitzero"`
}

// Review is a first review (需求初审).
type Review struct {
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Approved bool      `json:"approved"`
	Comments string    `json:"comments,omitempty"`
}

// Minutes states: whether the record of a meeting can be relied on yet.
const (
	MinutesNone                = "none"
	MinutesPendingConfirmation = "pending_confirmation"
	MinutesConfirmed           = "confirmed"
)

// Meeting is a meeting with its agenda and minutes (会议纪要).
type Meeting struct {
	ID              string    `json:"id"`
	Kind            string    `json:"kind"`
	Title           string    `json:"title,omitempty"`
	Organiser       string    `json:"organiser"`
	Start           time.Time `json:"start"`
	DurationMinutes int       `json:"duration_minutes"`
	Attendees       []string  `json:"attendees"`
	Agenda          []string  `json:"agenda"`
	Materials       []string  `json:"materials"`
	Cancelled       bool      `json:"cancelled,omitempty"`
	MinutesStatus   string    `json:"minutes_status"`
	MinutesBy       string    `json:"minutes_by,omitempty"`
	MinutesAt       time.Time `json:"minutes_at,omitzero"`
	Decisions       []string  `json:"decisions"`
	Actions         []string  `json:"actions"` // task ids the action items became
	MinutesRisks    []string  `json:"minutes_risks,omitempty"`
	Confirmed       []string  `json:"confirmed"`
	Unconfirmed     []string  `json:"unconfirmed"`
	// MinutesAttachments are the files shared with the minutes (附件).
	MinutesAttachments []bot.Attachment `json:"minutes_attachments,omitempty"`
	// Series is a recurring meeting's rule; the rows of its occurrences
	// follow it, each with SeriesID and its date (Occurrence).
	Series     *Series `json:"series,omitempty"`
	SeriesID   string  `json:"series_id,omitempty"`
	Occurrence string  `json:"occurrence,omitempty"`
	Moved      bool    `json:"moved,omitempty"` // a holiday moved it off its date
}

// Task is one line of the work breakdown. Tasks are listed in WBS order:
// each top-level task followed by its sub-tasks.
type Task struct {
	ID            string    `json:"id"`
	Parent        string    `json:"parent,omitempty"`
	Title         string    `json:"title"`
	Description   string    `json:"description,omitempty"`
	Owner         string    `json:"owner"`
	Collaborators []string  `json:"collaborators"`
	Department    string    `json:"department"`
	Role          string    `json:"role"`
	Start         time.Time `json:"start,omitzero"`
	Due           time.Time `json:"due"`
	Standard      string    `json:"standard,omitempty"`
	Status        string    `json:"status"` // as set by people
	StatusNote    string    `json:"status_note,omitempty"`
	Overdue       bool      `json:"overdue"`
	ShownStatus   string    `json:"shown_status"` // "overdue" wins over the status set
	Source        string    `json:"source,omitempty"`
	Risks         []string  `json:"risks,omitempty"`
	DoneAt        time.Time `json:"done_at,omitzero"`
	// Confirmation is the department head's (负责人确认), when asked for.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
}

// Counts sum up the board: what a coordinator looks at first.
type Counts struct {
	Tasks     int `json:"tasks"`
	Done      int `json:"done"`
	Overdue   int `json:"overdue"`
	NeedsHelp int `json:"needs_help"` // needs help or blocked, overdue or not
	OpenRisks int `json:"open_risks"`
}

// Progress is one daily update (已完成 / 未完成 / 遇到的问题).
type Progress struct {
	Day      string         `json:"day"`
	Person   string         `json:"person"`
	At       time.Time      `json:"at"`
	Done     string         `json:"done,omitempty"`
	NotDone  string         `json:"not_done,omitempty"`
	Problems string         `json:"problems,omitempty"`
	Changes  []StatusChange `json:"changes,omitempty"`
	// Attachments are the files and links shared with it (附件).
	Attachments []bot.Attachment `json:"attachments,omitempty"`
}

// StatusChange is one "T-3: needs_help" line of an update.
type StatusChange struct {
	Task   string `json:"task"`
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

// Risk is an entry of the risk register (风险应对记录表).
type Risk struct {
	ID          string    `json:"id"`
	Severity    string    `json:"severity"`
	Status      string    `json:"status"`
	Description string    `json:"description"`
	Impact      string    `json:"impact,omitempty"`
	Owner       string    `json:"owner"`
	Department  string    `json:"department"`
	Mitigation  string    `json:"mitigation,omitempty"`
	Due         time.Time `json:"due,omitzero"`
	RaisedBy    string    `json:"raised_by"`
	RaisedAt    time.Time `json:"raised_at"`
	Response    string    `json:"response,omitempty"`
	ResponseDue time.Time `json:"response_due,omitzero"`
	RespondedAt time.Time `json:"responded_at,omitzero"`
	Resolution  string    `json:"resolution,omitempty"`
	ResolvedAt  time.Time `json:"resolved_at,omitzero"`
	Tasks       []string  `json:"tasks,omitempty"`
	Source      string    `json:"source,omitempty"` // "M-2" (minutes) or "ack/研发部" (named on acceptance)
	Moves       []Move    `json:"moves,omitempty"`  // dates its resolution moved (同步进度调整)
	// Attachments are the files and links shared with it (附件).
	Attachments []bot.Attachment `json:"attachments,omitempty"`
}

// Delivery is one submission for acceptance, with its self-check (成果自检).
type Delivery struct {
	Number    int       `json:"number"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	SelfCheck string    `json:"self_check"`
	// Changes are what it changed from the delivery before (none for the
	// first).
	Changes     *bot.Changes     `json:"changes,omitempty"`
	Attachments []bot.Attachment `json:"attachments,omitempty"` // 附件
}

// Deliverable is one line of a delivery list (成果交付清单).
type Deliverable struct {
	Delivery int    `json:"delivery"`
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	Quantity int    `json:"quantity"`
	Link     string `json:"link,omitempty"`
	Note     string `json:"note,omitempty"` // 说明
	// Tasks are the tasks it answers for, and Standards their acceptance
	// standards (交付标准), as the record reads them.
	Tasks     []string `json:"tasks,omitempty"`
	Standards []string `json:"standards,omitempty"`
	Kept      bool     `json:"kept,omitempty"` // passed before, carried over
}

// Acceptance is a verdict on a delivery (成果验收结果).
type Acceptance struct {
	Delivery int       `json:"delivery"`
	Result   string    `json:"result"` // pass or fail
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Comments string    `json:"comments,omitempty"`
	Items    []string  `json:"items"`
	Due      time.Time `json:"due,omitzero"`
	// Results are the verdict on each item (验收清单); older records have
	// none.
	Results []bot.ItemResult `json:"results,omitempty"`
}

// Retrospective is the closing review (复盘总结).
type Retrospective struct {
	By           string    `json:"by"`
	At           time.Time `json:"at"`
	Highlights   []string  `json:"highlights"`
	Improvements []string  `json:"improvements"`
	Actions      []string  `json:"actions"`
}

// Event is one line of the activity log (操作记录); an empty actor is the
// bot itself.
type Event struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor,omitempty"`
	Action  string    `json:"action"`
	Subject string    `json:"subject,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// Build fills the record sheet. now decides which tasks are overdue; loc
// is the zone every instant is shown in (the workspace's, not the
// server's). dir supplies display names and may be nil.
func Build(c *bot.Collaboration, timeline []bot.TimelineEntry, progress []bot.ProgressUpdate, dir *bot.Directory, now time.Time, loc *time.Location) *Sheet {
	if loc == nil {
		loc = time.UTC
	}
	now = c.JudgedAt(now)
	at := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc).Truncate(time.Second)
	}
	p := people{dir: dir, names: map[string]string{}}
	r := c.Request
	s := &Sheet{
		ID: c.ID.String(), Workspace: string(c.Workspace), Status: string(c.Status),
		Topic: r.Topic, Goal: r.Goal, Requirements: r.Requirements, ExpectedDeliverables: r.Deliverables,
		Standard: r.Standard, Scope: r.Scope, Cadence: r.Cadence, RiskPlan: r.Risks, Extra: r.Extra, extraLabels: r.ExtraLabels,
		Requester: p.id(c.Requester), RequestingDepartment: c.RequestingDept, Coordinator: p.id(c.Coordinator),
		Group: c.Group, Due: at(r.Due), CreatedAt: at(c.CreatedAt), SubmittedAt: at(c.SubmittedAt),
		ActivatedAt: at(c.ActivatedAt), ClosedAt: at(c.ClosedAt),
		GeneratedAt: at(now), Timezone: loc.String(),
		Departments: []Department{}, Reviews: []Review{}, Meetings: []Meeting{}, Tasks: []Task{},
		Progress: []Progress{}, Risks: []Risk{}, Deliveries: []Delivery{}, Deliverables: []Deliverable{},
		Acceptances: []Acceptance{}, Timeline: []Event{},
	}
	s.Departments = departments(c, p, at)
	steps(s, c, p, at)
	s.typed(c, p, at)
	for _, rv := range c.Reviews {
		s.Reviews = append(s.Reviews, Review{By: p.id(rv.By), At: at(rv.At), Approved: rv.Approved, Comments: rv.Comments})
	}
	for _, m := range c.Meetings {
		if m.Series() {
			s.Meetings = append(s.Meetings, seriesRows(m, p, at)...)
			continue
		}
		s.Meetings = append(s.Meetings, meeting(m, p, at))
	}
	for _, t := range wbs(c.Tasks) {
		s.Tasks = append(s.Tasks, task(t, p, now, at))
	}
	s.Counts = count(c, now)
	for _, u := range progress {
		pr := Progress{Day: u.Day, Person: p.id(u.Person), At: at(u.At), Done: u.Done, NotDone: u.NotDone, Problems: u.Problems,
			Attachments: u.Attachments}
		for _, ch := range u.Changes {
			pr.Changes = append(pr.Changes, StatusChange{Task: ch.Task.String(), Status: string(ch.Status), Note: ch.Note})
		}
		s.Progress = append(s.Progress, pr)
	}
	for _, rk := range c.Risks {
		s.Risks = append(s.Risks, Risk{
			ID: rk.ID.String(), Severity: string(rk.Severity), Status: string(rk.Status),
			Description: rk.Description, Impact: rk.Impact, Owner: p.id(rk.Owner), Department: rk.Department,
			Mitigation: rk.Mitigation, Due: at(rk.Due), RaisedBy: p.id(rk.RaisedBy), RaisedAt: at(rk.RaisedAt),
			Response: rk.Response, ResponseDue: at(rk.ResponseDue), RespondedAt: at(rk.RespondedAt),
			Resolution: rk.Resolution, ResolvedAt: at(rk.ResolvedAt), Tasks: refs(rk.Tasks), Source: rk.Source,
			Moves: moves(c, rk, at), Attachments: rk.Attachments,
		})
	}
	for _, d := range c.Deliveries {
		dl := Delivery{Number: d.Number, By: p.id(d.By), At: at(d.At), SelfCheck: d.SelfCheck, Attachments: d.Attachments}
		if ch, ok := c.DeliveryChanges(d.Number); ok {
			dl.Changes = &ch
		}
		s.Deliveries = append(s.Deliveries, dl)
		for _, it := range d.Items {
			s.Deliverables = append(s.Deliverables, Deliverable{Delivery: d.Number, Name: it.Name,
				Version: it.Version, Quantity: it.Quantity, Link: it.Link, Note: it.Note, Tasks: refs(it.Tasks),
				Standards: standards(c, it.Tasks), Kept: it.Kept})
		}
	}
	for _, a := range c.Acceptances {
		s.Acceptances = append(s.Acceptances, Acceptance{Delivery: a.Delivery, Result: string(a.Verdict),
			By: p.id(a.By), At: at(a.At), Comments: a.Comments, Items: list(a.Items), Due: at(a.Due), Results: a.Results})
	}
	if n := len(s.Acceptances); n > 0 {
		latest := s.Acceptances[n-1]
		s.Acceptance = &latest
	}
	if rt := c.Retrospective; rt != nil {
		s.Retrospective = &Retrospective{By: p.id(rt.By), At: at(rt.At), Highlights: list(rt.Highlights),
			Improvements: list(rt.Improvements), Actions: list(rt.Actions)}
	}
	for _, e := range timeline {
		s.Timeline = append(s.Timeline, Event{At: at(e.At), Actor: p.id(e.Actor), Action: e.Action, Subject: e.Subject, Note: e.Note})
		p.inEntry(e.Action, e.Subject, e.Note)
		if isReminder(e.Action) {
			// A reminder's note starts with whom it went to ("@ben …").
			to, _, _ := strings.Cut(e.Note, " ")
			if id, ok := strings.CutPrefix(to, "@"); ok {
				p.id(bot.PersonID(id))
			}
		}
	}
	s.People = p.names
	return s
}

// Read builds the sheet of c from what the store holds about it: its
// timeline and its progress updates.
func Read(ctx context.Context, tx bot.Tx, c *bot.Collaboration, dir *bot.Directory, now time.Time, loc *time.Location) (*Sheet, error) {
	timeline, err := tx.Timeline(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	progress, err := tx.Progress(ctx, c.ID, "")
	if err != nil {
		return nil, err
	}
	return Build(c, timeline, progress, dir, now, loc), nil
}

// JSON writes the sheet as indented JSON.
func (s *Sheet) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Links and notes are data here, not HTML: keep "&" and "<" readable.
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// Name is a person's display name, falling back to the id for someone
// the directory does not know (any more).
func (s *Sheet) Name(id string) string {
	if n := s.People[id]; n != "" {
		return n
	}
	return id
}

// people collects the names of everyone the sheet mentions while it is
// built, so the JSON carries exactly the names it needs.
type people struct {
	dir   *bot.Directory
	names map[string]string
}

func (p people) id(id bot.PersonID) string {
	if id == "" {
		return ""
	}
	if _, ok := p.names[string(id)]; !ok {
		name := string(id)
		if p.dir != nil {
			if person, ok := p.dir.Person(id); ok && person.Name != "" {
				name = person.Name
			}
		}
		p.names[string(id)] = name
	}
	return string(id)
}

func (p people) ids(ids []bot.PersonID) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, p.id(id))
	}
	return out
}

func departments(c *bot.Collaboration, p people, at func(time.Time) time.Time) []Department {
	out := []Department{}
	for _, a := range c.Request.Departments {
		d := Department{Name: a.Department, Contact: p.id(a.Contact), AckStatus: string(bot.AckPending)}
		// A draft has no acknowledgements yet: the department is simply
		// still to be asked.
		if ack, ok := c.Ack(a.Department); ok {
			d.Contact, d.AckStatus = p.id(ack.Contact), string(ack.Status)
			d.Scope, d.Resources, d.Risks = ack.Scope, ack.Resources, ack.Risks
			d.DeclineReason, d.Alternative, d.Question, d.Answer = ack.Reason, ack.Alternative, ack.Question, ack.Answer
			d.AskedAt, d.AnsweredBy, d.AnsweredAt = at(ack.AskedAt), p.id(ack.By), at(ack.At)
		}
		out = append(out, d)
	}
	return out
}

func meeting(m *bot.Meeting, p people, at func(time.Time) time.Time) Meeting {
	out := Meeting{
		ID: m.ID.String(), Kind: string(m.Kind), Title: m.Title, Organiser: p.id(m.Organiser),
		Start: at(m.Start), DurationMinutes: int(m.Duration / time.Minute), Attendees: p.ids(m.Attendees),
		Agenda: list(m.Agenda), Materials: list(m.Materials), Cancelled: m.Cancelled,
		MinutesStatus: MinutesNone, Decisions: []string{}, Actions: []string{}, Confirmed: []string{},
		Unconfirmed: []string{},
	}
	if mn := m.Minutes; mn != nil {
		out.MinutesBy, out.MinutesAt = p.id(mn.By), at(mn.At)
		out.Decisions, out.Actions, out.MinutesRisks = list(mn.Decisions), refs(mn.Actions), mn.Risks
		out.MinutesAttachments = mn.Attachments
		for _, cf := range mn.Confirmations {
			out.Confirmed = append(out.Confirmed, p.id(cf.Person))
		}
		out.Unconfirmed = p.ids(m.Unconfirmed())
		out.MinutesStatus = MinutesConfirmed
		if len(out.Unconfirmed) > 0 {
			out.MinutesStatus = MinutesPendingConfirmation
		}
	}
	return out
}

func task(t *bot.Task, p people, now time.Time, at func(time.Time) time.Time) Task {
	out := Task{
		ID: t.ID.String(), Title: t.Title, Description: t.Description, Owner: p.id(t.Owner),
		Collaborators: p.ids(t.Collaborators), Department: t.Department, Role: string(t.Role),
		Start: at(t.Start), Due: at(t.Due), Standard: t.Standard, Status: string(t.Status),
		StatusNote: t.StatusNote, Overdue: t.Overdue(now), ShownStatus: string(t.Shown(now)),
		Source: t.Source, Risks: refs(t.Risks), DoneAt: at(t.DoneAt), Confirmation: confirmation(t, p, at),
	}
	if t.Parent != 0 {
		out.Parent = t.Parent.String()
	}
	return out
}

// wbs orders tasks as a breakdown reads: each top-level task followed by
// its sub-tasks, both in the order they were planned. A task whose parent
// is missing still shows, at the end, rather than vanish.
func wbs(tasks []*bot.Task) []*bot.Task {
	seen := map[bot.TaskID]bool{}
	var out []*bot.Task
	for _, t := range tasks {
		if t.Parent != 0 {
			continue
		}
		out = append(out, t)
		seen[t.ID] = true
		for _, sub := range tasks {
			if sub.Parent == t.ID && !seen[sub.ID] {
				out = append(out, sub)
				seen[sub.ID] = true
			}
		}
	}
	for _, t := range tasks {
		if !seen[t.ID] {
			out = append(out, t)
		}
	}
	return out
}

// count is the arithmetic of the board's summary line. A task counts
// once, under what the board shows for it; a cancelled one is off the
// plan and not counted.
func count(c *bot.Collaboration, now time.Time) Counts {
	sum := c.Summarize(now)
	n := Counts{Tasks: sum.Tasks, Done: sum.Done, Overdue: sum.Overdue, NeedsHelp: sum.NeedsHelp}
	for _, r := range c.Risks {
		if r.Status != bot.RiskResolved {
			n.OpenRisks++
		}
	}
	return n
}

func refs[ID interface{ String() string }](ids []ID) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, id.String())
	}
	return out
}

// list makes absent lists "[]" in the JSON, which scripts iterate without
// a null check.
func list(in []string) []string {
	if in == nil {
		return []string{}
	}
	return in
}

// standards are the acceptance standards of the tasks an item answers for.
func standards(c *bot.Collaboration, ids []bot.TaskID) []string {
	var out []string
	for _, id := range ids {
		if t, err := c.Task(id); err == nil && t.Standard != "" && !slices.Contains(out, t.Standard) {
			out = append(out, t.Standard)
		}
	}
	return out
}
