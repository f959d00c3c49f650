package record

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Markdown writes the filled record sheet as a document, its sections in
// the order the process fills them: the basic information as the seed's
// two-column table (项目 | 内容), the rest as headings and lists, the
// timeline as sentences with the bot's reminders summed up per kind.
func (s *Sheet) Markdown(w io.Writer, lang bot.Lang) error {
	return s.markdown(w, lang, true)
}

// ChatMarkdown is Markdown for a chat message: no table, which chat
// platforms show as raw pipes.
func (s *Sheet) ChatMarkdown(w io.Writer, lang bot.Lang) error {
	return s.markdown(w, lang, false)
}

func (s *Sheet) markdown(w io.Writer, lang bot.Lang, table bool) error {
	m := &md{s: s, lang: lang, table: table}
	m.printf("# %s · %s\n\n", m.t(label.Title), s.ID)
	m.printf("**%s** · %s\n", inline(s.Topic), collabLabel(s.Status, lang))
	m.basic()
	m.typed()
	m.acks()
	m.steps()
	// The project's sections are its form and show "(无)" when empty;
	// another type (a loan, an alignment) shows only those it used.
	full := s.Type == "" || s.Type == bot.ProjectType
	for _, sec := range []struct {
		write func()
		used  bool
	}{
		{m.meetings, len(s.Meetings) > 0},
		{m.tasks, len(s.Tasks) > 0},
		{m.progress, len(s.Progress) > 0},
		{m.risks, len(s.Risks) > 0},
		{m.delivery, len(s.Deliveries) > 0 || len(s.Deliverables) > 0 || len(s.Acceptances) > 0},
		{m.retro, s.Retrospective != nil},
	} {
		if full || sec.used {
			sec.write()
		}
	}
	m.timeline()
	m.printf("\n---\n%s%s%s (%s)\n", m.t(label.Generated), colon(lang), m.when(s.GeneratedAt), s.Timezone)
	_, err := io.WriteString(w, m.b.String())
	return err
}

type md struct {
	b     strings.Builder
	s     *Sheet
	lang  bot.Lang
	table bool // the basic information as a table
}

func (m *md) t(x bot.Text) string { return x.In(m.lang) }

func (m *md) printf(format string, args ...any) { fmt.Fprintf(&m.b, format, args...) }

func (m *md) section(title bot.Text) { m.printf("\n## %s\n\n", m.t(title)) }

func (m *md) none() { m.printf("%s\n", m.t(label.None)) }

// field is one "- **label**:value" line; value may be the user's
// multi-line text. Empty values are left out: a sheet lists what is known.
func (m *md) field(indent string, key bot.Text, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	m.printf("%s- **%s**%s%s\n", indent, m.t(key), colon(m.lang), block(value, indent+"  "))
}

// items is a labelled list of the user's lines (agenda, decisions …).
func (m *md) items(indent string, key bot.Text, list []string) {
	if len(list) == 0 {
		return
	}
	m.printf("%s- **%s**%s\n", indent, m.t(key), strings.TrimSpace(colon(m.lang)))
	for _, it := range list {
		m.printf("%s  - %s\n", indent, item(it, indent+"    "))
	}
}

func (m *md) name(id string) string { return inline(m.s.Name(id)) }

func (m *md) names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = m.name(id)
	}
	return strings.Join(out, sep(m.lang))
}

func (m *md) when(t time.Time) string { return when(t) }

func (m *md) basic() {
	s := m.s
	m.section(label.SecBasic)
	var rows [][2]string // label, plain value
	add := func(key bot.Text, value string) {
		if strings.TrimSpace(value) != "" {
			rows = append(rows, [2]string{m.t(key), value})
		}
	}
	add(label.ID, s.ID)
	add(label.Status, collabLabel(s.Status, m.lang))
	add(label.Topic, s.Topic)
	add(label.Requesting, s.RequestingDepartment+" / "+s.Name(s.Requester))
	var assisting []string
	for _, d := range s.Departments {
		assisting = append(assisting, d.Name+" / "+s.Name(d.Contact))
	}
	add(label.Assisting, strings.Join(assisting, sep(m.lang)))
	add(label.Coordinator, s.Name(s.Coordinator))
	add(label.Goal, s.Goal)
	add(label.Requirements, s.Requirements)
	add(label.Deliverables, s.ExpectedDeliverables)
	add(label.Standard, s.Standard)
	add(label.Due, m.when(s.Due))
	add(label.Scope, s.Scope)
	add(label.Cadence, s.Cadence)
	add(label.RiskPlan, s.RiskPlan)
	for _, k := range slices.Sorted(maps.Keys(s.Extra)) {
		add(bot.Text{ZH: s.extraLabel(k, bot.Chinese), EN: s.extraLabel(k, bot.English)}, s.Extra[k])
	}
	for _, r := range s.Reviews {
		verdict := label.Approved
		if !r.Approved {
			verdict = label.Returned
		}
		v := m.t(verdict) + " · " + s.Name(r.By) + " · " + m.when(r.At)
		if r.Comments != "" {
			v += " · " + r.Comments
		}
		add(label.Review, v)
	}
	add(label.Created, m.when(s.CreatedAt))
	add(label.Submitted, m.when(s.SubmittedAt))
	add(label.Activated, m.when(s.ActivatedAt))
	add(label.Closed, m.when(s.ClosedAt))
	if !m.table {
		for _, r := range rows {
			m.printf("- **%s**%s%s\n", r[0], colon(m.lang), block(r[1], "  "))
		}
		return
	}
	m.printf("| %s | %s |\n| --- | --- |\n", m.t(label.BasicItem), m.t(label.Value))
	for _, r := range rows {
		m.printf("| %s | %s |\n", tableCell(r[0]), tableCell(r[1]))
	}
}

func (m *md) acks() {
	m.section(label.SecAck)
	if len(m.s.Departments) == 0 {
		m.none()
	}
	for _, d := range m.s.Departments {
		m.printf("- %s **%s** · %s %s · %s", ackEmoji(bot.AckStatus(d.AckStatus)), inline(d.Name),
			m.t(label.Contact), m.name(d.Contact), ackLabel(d.AckStatus, m.lang))
		if !d.AnsweredAt.IsZero() {
			m.printf(" · %s", m.when(d.AnsweredAt))
		}
		m.printf("\n")
		m.field("  ", label.AckScope, d.Scope)
		m.field("  ", label.Resources, d.Resources)
		m.field("  ", label.AckRisks, d.Risks)
		m.field("  ", label.Reason, d.DeclineReason)
		m.field("  ", label.Alternative, d.Alternative)
		m.field("  ", label.Question, d.Question)
		m.field("  ", label.Answer, d.Answer)
	}
}

func (m *md) meetings() {
	m.section(label.SecMeetings)
	if len(m.s.Meetings) == 0 {
		m.none()
	}
	for i, mt := range m.s.Meetings {
		if i > 0 {
			m.printf("\n")
		}
		m.printf("### %s %s · %s · %d %s", mt.ID, kindLabel(mt.Kind, m.lang), m.when(mt.Start),
			mt.DurationMinutes, m.t(label.MinutesUnit))
		if mt.Title != "" {
			m.printf(" · %s", inline(mt.Title))
		}
		if mt.Series != nil {
			m.printf(" · %s", m.t(seriesLabel.Series))
		}
		if mt.Moved {
			m.printf(" (%s)", m.t(seriesLabel.Moved))
		}
		if mt.Cancelled {
			m.printf(" (%s)", m.t(label.Cancelled))
		}
		m.printf("\n\n")
		if mt.Series != nil {
			for _, f := range mt.Series.fields(m.lang) {
				m.field("", bot.Text{ZH: f[0], EN: f[0]}, f[1])
			}
		}
		if mt.SeriesID != "" {
			m.field("", seriesLabel.Occurrence, mt.SeriesID+" · "+mt.Occurrence)
		}
		m.field("", label.Organiser, m.name(mt.Organiser))
		m.field("", label.Attendees, m.names(mt.Attendees))
		m.items("", label.Agenda, mt.Agenda)
		m.items("", label.Materials, mt.Materials)
		status := map[string]bot.Text{MinutesNone: label.MinutesNone, MinutesPendingConfirmation: label.MinutesPending,
			MinutesConfirmed: label.MinutesConfirmed}[mt.MinutesStatus]
		minutes := m.t(status)
		if mt.MinutesStatus != MinutesNone {
			minutes += " · " + m.name(mt.MinutesBy) + " · " + m.when(mt.MinutesAt)
		}
		if mt.Series == nil { // each occurrence has its own minutes
			m.field("", label.Minutes, minutes)
		}
		m.items("", label.Decisions, mt.Decisions)
		if len(mt.Actions) > 0 {
			m.printf("- **%s**%s\n", m.t(label.Actions), strings.TrimSpace(colon(m.lang)))
			for _, id := range mt.Actions {
				m.printf("  - %s\n", m.actionItem(id))
			}
		}
		m.items("", label.MinutesRisks, mt.MinutesRisks)
		m.attachments("", mt.MinutesAttachments)
		if len(mt.Unconfirmed) > 0 && mt.MinutesStatus != MinutesNone {
			m.field("", label.Unconfirmed, m.names(mt.Unconfirmed))
		}
	}
}

// actionItem is a 待办事项 as the seeds write it: what, who, by when.
func (m *md) actionItem(id string) string {
	for _, t := range m.s.Tasks {
		if t.ID == id {
			return fmt.Sprintf("**%s** %s · %s %s · %s %s", t.ID, inline(t.Title), m.t(label.Owner), m.name(t.Owner),
				m.t(label.TaskDue), m.when(t.Due))
		}
	}
	return id
}

func (m *md) tasks() {
	m.section(label.SecTasks)
	if len(m.s.Tasks) == 0 {
		m.none()
		return
	}
	m.printf("%s\n\n", countLine(m.s.Counts, m.lang))
	for _, t := range m.s.Tasks {
		indent := ""
		if t.Parent != "" && m.hasTask(t.Parent) {
			indent = "  "
		}
		dept := inline(t.Department)
		if t.Role != "" {
			dept += paren(roleLabel(t.Role, m.lang), m.lang)
		}
		m.printf("%s- %s **%s** %s · %s · %s %s · %s %s · %s\n", indent, TaskEmoji(bot.TaskStatus(t.ShownStatus)),
			t.ID, inline(t.Title), dept, m.t(label.Owner), m.name(t.Owner), m.t(label.TaskDue), m.when(t.Due),
			taskLabel(t.ShownStatus, m.lang))
		in := indent + "  "
		m.field(in, label.Description, t.Description)
		m.field(in, label.Collaborators, m.names(t.Collaborators))
		m.field(in, label.Start, m.when(t.Start))
		m.field(in, label.Standard, t.Standard)
		if t.ShownStatus != t.Status { // the board says 延期; keep what the owner last reported
			m.field(in, label.TaskStatus, taskLabel(t.Status, m.lang))
		}
		m.field(in, label.Note, t.StatusNote)
		m.field(in, label.Source, t.Source)
		m.field(in, label.LinkedRisks, strings.Join(t.Risks, sep(m.lang)))
		m.field(in, label.DoneAt, m.when(t.DoneAt))
		m.field(in, label.Confirmation, confirmationText(t.Confirmation, m.name, m.lang))
	}
}

func (m *md) hasTask(id string) bool {
	return slices.ContainsFunc(m.s.Tasks, func(t Task) bool { return t.ID == id })
}

func (m *md) progress() {
	m.section(label.SecProgress)
	if len(m.s.Progress) == 0 {
		m.none()
	}
	for _, p := range m.s.Progress {
		m.printf("- **%s · %s**\n", inline(p.Day), m.name(p.Person))
		m.field("  ", label.Done, p.Done)
		m.field("  ", label.NotDone, p.NotDone)
		m.field("  ", label.Problems, p.Problems)
		var changes []string
		for _, ch := range p.Changes {
			c := ch.Task + " " + taskLabel(ch.Status, m.lang)
			if ch.Note != "" {
				c += paren(inline(ch.Note), m.lang)
			}
			changes = append(changes, c)
		}
		m.field("  ", label.Changes, strings.Join(changes, sep(m.lang)))
		m.attachments("  ", p.Attachments)
	}
}

func (m *md) risks() {
	m.section(label.SecRisks)
	if len(m.s.Risks) == 0 {
		m.none()
	}
	for _, r := range m.s.Risks {
		m.printf("- **%s** %s %s · %s\n", r.ID, severityTag(r.Severity, m.lang), block(r.Description, "  "),
			riskLabel(r.Status, m.lang))
		m.field("  ", label.Impact, r.Impact)
		m.field("  ", label.Source, riskSource(r.Source, m.lang))
		m.field("  ", label.Department, inline(r.Department)+" / "+m.name(r.Owner))
		m.field("  ", label.Mitigation, r.Mitigation)
		m.field("  ", label.ExpectedBy, m.when(r.Due))
		m.field("  ", label.RaisedBy, m.name(r.RaisedBy)+" · "+m.when(r.RaisedAt))
		response := r.Response
		if response != "" && !r.ResponseDue.IsZero() {
			response += "\n" + m.t(label.ResponseDue) + colon(m.lang) + m.when(r.ResponseDue)
		}
		m.field("  ", label.Response, response)
		m.field("  ", label.Resolution, r.Resolution)
		m.field("  ", label.LinkedTasks, strings.Join(r.Tasks, sep(m.lang)))
		m.field("  ", label.ScheduleChanges, movesText(r.Moves, m.lang))
		m.attachments("  ", r.Attachments)
	}
}

// riskSource says where a register entry the bot made came from.
func riskSource(src string, lang bot.Lang) string {
	if dept, ok := strings.CutPrefix(src, "ack/"); ok {
		return words.Get(lang, "record.risk_source.ack", words.Args{"department": dept})
	}
	if src != "" {
		return words.Get(lang, "record.risk_source.minutes", words.Args{"meeting": src})
	}
	return ""
}

// severityTag marks a risk's severity the way each language brackets a tag.
func severityTag(s string, lang bot.Lang) string {
	if lang == bot.English {
		return "[" + severityLabel(s, lang) + "]"
	}
	return "【" + severityLabel(s, lang) + "】"
}

func (m *md) delivery() {
	s := m.s
	m.section(label.SecDelivery)
	if len(s.Deliveries) == 0 && len(s.Acceptances) == 0 {
		m.none()
		return
	}
	m.printf("### %s\n\n", m.t(label.DeliveryList))
	for _, d := range s.Deliveries {
		m.printf("- **%s** · %s · %s\n", deliveryN(d.Number, m.lang), m.name(d.By), m.when(d.At))
		n := 0
		for _, it := range s.Deliverables {
			if it.Delivery != d.Number {
				continue
			}
			n++
			m.deliverable(n, it)
		}
		m.field("  ", label.SelfCheck, d.SelfCheck)
		m.changes(d.Changes)
		m.attachments("  ", d.Attachments)
	}
	m.printf("\n### %s\n\n", m.t(label.AcceptanceResult))
	if len(s.Acceptances) == 0 {
		m.none()
	}
	for _, a := range s.Acceptances {
		m.printf("- **%s** · %s · %s %s · %s\n", verdictLabel(a.Result, m.lang), deliveryN(a.Delivery, m.lang),
			m.t(label.Accepter), m.name(a.By), m.when(a.At))
		m.field("  ", label.AcceptComments, a.Comments)
		m.results(a.Results)
		m.items("  ", label.Items, a.Items)
		m.field("  ", label.ItemsDue, m.when(a.Due))
	}
}

func (m *md) retro() {
	m.section(label.SecRetro)
	r := m.s.Retrospective
	if r == nil {
		m.none()
		return
	}
	m.items("", label.Highlights, r.Highlights)
	m.items("", label.Improvements, r.Improvements)
	m.items("", label.FollowUps, r.Actions)
	m.field("", label.By, m.name(r.By)+" · "+m.when(r.At))
}

// timeline writes what happened as sentences, oldest first; the bot's
// reminders, however many, are summed up per kind after them (the CSV and
// JSON keep every one).
func (m *md) timeline() {
	m.section(label.SecTimeline)
	if len(m.s.Timeline) == 0 {
		m.none()
	}
	for _, e := range m.s.Timeline {
		if isReminder(e.Action) {
			continue
		}
		var line string
		if states[e.Action] {
			// What the collaboration became, not what someone did.
			line = m.when(e.At) + " " + inline(m.s.subject(e)) + " " + actionLabel(e.Action, m.lang)
		} else {
			actor := m.t(label.Bot)
			if e.Actor != "" {
				actor = m.name(e.Actor)
			}
			line = m.when(e.At) + " " + actor + " " + actionLabel(e.Action, m.lang)
			if sub := m.s.subject(e); sub != "" {
				line += " " + inline(sub)
			}
		}
		if e.Action == "reminder_changed" {
			line = m.when(e.At) + " " + m.name(e.Actor) + " " + reminderChange(e, m.lang)
		} else if e.Note != "" {
			line += colon(m.lang) + inline(m.s.note(e, m.lang))
		}
		m.printf("- %s\n", sentence(line, m.lang))
	}
	for _, r := range sumReminders(m.s.Timeline) {
		m.printf("- %s\n", r.line(m))
	}
}

// sentence ends line with a full stop unless a note already ended it.
func sentence(line string, lang bot.Lang) string {
	if strings.HasSuffix(line, "`") || strings.ContainsAny(lastRune(line), "。.!?！？…") {
		return line
	}
	return line + words.Get(lang, "format.full_stop", nil)
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

// states are the timeline entries that say what the collaboration became.
var states = map[string]bool{"activated": true, "minutes_confirmed_by_all": true}

// recipient names who a reminder went to ("@ben", "#group").
func (m *md) recipient(to string) string {
	if id, ok := strings.CutPrefix(to, "@"); ok {
		return m.name(id)
	}
	return m.t(label.TheGroup)
}

// countLine is the board's summary: "N tasks: x done, y overdue, z need help".
func countLine(n Counts, lang bot.Lang) string {
	return words.Get(lang, plural(n.Tasks, "record.count_line.one", "record.count_line.other"),
		words.Args{"n": n.Tasks, "done": n.Done, "overdue": n.Overdue, "need_help": n.NeedsHelp})
}
