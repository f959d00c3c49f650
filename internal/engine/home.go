package engine

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/internal/words"
)

// A platform's home page (Slack's App Home) shows what waits for a
// person: acknowledgements, reviews, their tasks, meetings that need
// minutes or a confirmation, and the collaborations they coordinate, each
// with the buttons its notice has. The engine describes it (bot.Home);
// an adapter draws it. Whoever opened their home once has it refreshed
// after every saved change that concerns them, through the outbox: a
// refresh is a notice keyed per person and per few seconds, rendered when
// it is sent, so a burst of changes publishes once or twice, paced like
// every other send.

// homeTimer is the ledger's record that a person opened their home on a
// platform (entity: the person, slot: the platform).
const homeTimer = "home_opened"

// homeDelay is how long changes gather before a home is published again.
const homeDelay = 3 * time.Second

// homeReload is how stale the list of who opened a home may get before a
// save reads it again (another replica may have added someone).
const homeReload = 30 * time.Second

// homeBook remembers, per workspace, who opened their home on which
// platforms, as recorded in the ledger.
type homeBook struct {
	mu sync.Mutex
	ws map[bot.Workspace]*homeList
}

type homeList struct {
	read time.Time                       // when the ledger was read
	who  map[bot.PersonID][]bot.Platform // people and the platforms they opened it on
}

func (b *homeBook) get(ws bot.Workspace) (*homeList, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.ws[ws]
	return l, ok
}

func (b *homeBook) put(ws bot.Workspace, l *homeList) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ws == nil {
		b.ws = map[bot.Workspace]*homeList{}
	}
	b.ws[ws] = l
}

// opened reports whether p opened their home on platform, as this
// process knows.
func (b *homeBook) opened(ws bot.Workspace, p bot.PersonID, platform bot.Platform) bool {
	l, ok := b.get(ws)
	return ok && slices.Contains(l.who[p], platform)
}

// add notes an opening recorded now.
func (b *homeBook) add(ws bot.Workspace, p bot.PersonID, platform bot.Platform) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.ws[ws]
	if l == nil {
		return // read from the ledger, with this one, when first needed
	}
	who := make(map[bot.PersonID][]bot.Platform, len(l.who)+1)
	for k, v := range l.who {
		who[k] = v
	}
	who[p] = append(slices.Clip(who[p]), platform)
	b.ws[ws] = &homeList{read: l.read, who: who}
}

// openers are those who opened their home, read from the ledger when the
// book has not read it lately.
func (e *Engine) openers(ctx context.Context, ws bot.Workspace, tx bot.Tx, now time.Time) (*homeList, error) {
	if l, ok := e.homes.get(ws); ok && now.Sub(l.read) < homeReload && !now.Before(l.read) {
		return l, nil
	}
	rs, err := tx.Reminders(ctx, homeTimer, "")
	if err != nil {
		return nil, fmt.Errorf("engine: who opened a home: %w", err)
	}
	l := &homeList{read: now, who: map[bot.PersonID][]bot.Platform{}}
	for _, r := range rs {
		p := bot.PersonID(r.Entity)
		if !slices.Contains(l.who[p], bot.Platform(r.Slot)) {
			l.who[p] = append(l.who[p], bot.Platform(r.Slot))
		}
	}
	e.homes.put(ws, l)
	return l, nil
}

// HomeOpened answers a person opening their home page: what waits for
// them, to publish at once. The first opening is recorded, so that later
// changes refresh the page; a newcomer nothing waits for gets an empty
// page and is recorded when they first write.
func (e *Engine) HomeOpened(ctx context.Context, m bot.Message) (*bot.Home, error) {
	now := e.Clock.Now()
	var home *bot.Home
	var who bot.PersonID
	read := func(tx bot.Tx) error {
		dir, err := e.directory(ctx, m.Workspace, tx)
		if err != nil {
			return err
		}
		p, ok, err := e.known(ctx, tx, dir, m.From)
		if err != nil || !ok {
			return err
		}
		who = p.ID
		if _, err := e.openers(ctx, m.Workspace, tx, now); err != nil {
			return err
		}
		home, err = e.home(ctx, m.Workspace, tx, dir, p, now)
		return err
	}
	if err := e.Store.View(ctx, m.Workspace, read); err != nil {
		return nil, fmt.Errorf("engine: home: %w", err)
	}
	if home == nil {
		return e.emptyHome(m.Workspace), nil
	}
	if e.homes.opened(m.Workspace, who, m.Platform) {
		return home, nil
	}
	err := e.Store.Apply(ctx, m.Workspace, "", func(tx bot.Tx) error {
		_, err := tx.RecordReminder(ctx, bot.Reminder{Timer: homeTimer, Entity: string(who), Slot: string(m.Platform), At: now})
		return err
	})
	if err != nil {
		// The page is shown all the same; the next opening records it.
		e.Log.Warn("home opening not recorded", "person", who, "err", err)
		return home, nil
	}
	e.homes.add(m.Workspace, who, m.Platform)
	return home, nil
}

// known finds a person by a platform account without registering anyone.
func (e *Engine) known(ctx context.Context, tx bot.Tx, dir *bot.Directory, id bot.Identity) (bot.Person, bool, error) {
	if id.Platform == bot.Console {
		if p, ok := dir.Person(bot.PersonID(id.ID)); ok {
			return p, true, nil
		}
	}
	if p, ok := dir.ByIdentity(id.Platform, id.ID); ok {
		return p, true, nil
	}
	return tx.PersonByIdentity(ctx, id)
}

func (e *Engine) emptyHome(ws bot.Workspace) *bot.Home {
	return &bot.Home{Lang: e.Lang, Title: words.Get(e.Lang, "home.title", nil), Empty: words.Get(e.Lang, "home.empty", nil)}
}

// Home describes what waits for a person, read from a read transaction.
func (e *Engine) Home(ctx context.Context, ws bot.Workspace, p bot.PersonID) (*bot.Home, error) {
	var home *bot.Home
	err := e.Store.View(ctx, ws, func(tx bot.Tx) error {
		dir, err := e.directory(ctx, ws, tx)
		if err != nil {
			return err
		}
		person, _ := dir.Person(p)
		person.ID = p
		home, err = e.home(ctx, ws, tx, dir, person, e.Clock.Now())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("engine: home of %s: %w", p, err)
	}
	return home, nil
}

// openStatuses are the statuses in which a collaboration may wait for
// someone or have open tasks.
var openStatuses = []bot.CollabStatus{bot.StatusInReview, bot.StatusRejected, bot.StatusAwaitingAck,
	bot.StatusActive, bot.StatusAccepting, bot.StatusRetrospective}

// waitingCollabs are the collaborations that may wait for the actor: those
// they take part in, and for heads and configured contacts those their
// departments are asked to review or acknowledge.
func waitingCollabs(ctx context.Context, tx bot.Tx, actor bot.Actor) ([]*bot.Collaboration, error) {
	list, err := tx.Collaborations(ctx, bot.Filter{Person: actor.Person, Status: openStatuses})
	if err != nil {
		return nil, err
	}
	if len(actor.HeadOf) > 0 || len(actor.ContactOf) > 0 {
		more, err := tx.Collaborations(ctx, bot.Filter{Departments: append(slices.Clip(actor.HeadOf), actor.ContactOf...),
			Status: []bot.CollabStatus{bot.StatusInReview, bot.StatusAwaitingAck}})
		if err != nil {
			return nil, err
		}
		for _, c := range more {
			if !slices.ContainsFunc(list, func(x *bot.Collaboration) bool { return x.ID == c.ID }) {
				list = append(list, c)
			}
		}
	}
	return list, nil
}

// home builds the page of person p.
func (e *Engine) home(ctx context.Context, ws bot.Workspace, tx bot.Tx, dir *bot.Directory, p bot.Person, now time.Time) (*bot.Home, error) {
	st, err := tx.Settings(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	s := &session{e: e, tx: tx, now: now, person: p, dir: dir, actor: dir.Actor(p.ID)}
	if len(s.actor.Departments) == 0 && st.Department != "" {
		s.actor.Departments = []string{st.Department}
	}
	s.lang = firstLang(st.Lang, p.Lang, e.Lang)
	list, err := waitingCollabs(ctx, tx, s.actor)
	if err != nil {
		return nil, err
	}
	h := &bot.Home{Person: p.ID, Lang: s.lang, Title: s.w("home.title", nil), Empty: s.w("home.empty", nil),
		Buttons: e.buttons([]action{button("home.button.new", "new", "primary")}, s.lang)}
	if e.Web != nil {
		if link, _, err := e.Web.Link(ws, p.ID); err == nil {
			h.Board = link
		}
	}
	sections := []bot.HomeSection{
		{Kind: "acks", Title: s.w("home.section.acks", nil)},
		{Kind: "reviews", Title: s.w("home.section.reviews", nil)},
		{Kind: "tasks", Title: s.w("home.section.tasks", nil)},
		{Kind: "meetings", Title: s.w("home.section.meetings", nil)},
		{Kind: "coordinating", Title: s.w("home.section.coordinating", nil)},
	}
	const acks, reviews, tasks, meetings, coordinating = 0, 1, 2, 3, 4
	add := func(i int, ref, emoji, text string, buttons []action) {
		sections[i].Items = append(sections[i].Items, bot.HomeItem{Ref: ref, Emoji: emoji, Text: text, Buttons: e.buttons(buttons, s.lang)})
	}
	for _, c := range list {
		id := c.ID.String()
		topic := bot.Truncate(c.Request.Topic, maxQuote)
		for _, w := range c.WaitsFor(s.actor) {
			switch w.Kind {
			case bot.WaitRework:
				add(reviews, id, "", s.w("home.item.rework", words.Args{"ref": id, "topic": topic}),
					[]action{button("button.edit", "edit "+id, "primary"), button("button.resubmit", "resubmit "+id, "")})
			case bot.WaitReview:
				add(reviews, id, "", s.w("home.item.review", words.Args{"ref": id, "topic": topic}),
					[]action{button("button.approve", "review "+id+" approve", "primary"), button("button.reject", "review "+id+" reject", "danger")})
			case bot.WaitAck:
				add(acks, id, "", s.w("home.item.ack", words.Args{"ref": id, "topic": topic, "department": w.Department}), ackButtons(id, w.Department))
			case bot.WaitQuestion:
				add(acks, id, "", s.w("home.item.question", words.Args{"ref": id, "department": w.Department, "question": bot.Truncate(w.Question, maxQuote)}), nil)
			case bot.WaitDeclined:
				add(acks, id, "", s.w("home.item.declined", words.Args{"ref": id, "department": w.Department, "reason": bot.Truncate(w.Reason, maxQuote)}),
					[]action{{Label: words.Text("button.drop", words.Args{"department": w.Department}), Command: "drop " + id + " " + w.Department, Style: "danger"}})
			case bot.WaitMinutes:
				add(meetings, w.Meeting, "", s.w("home.item.confirm_minutes", words.Args{"meeting": w.Meeting, "ref": id}),
					[]action{button("button.confirm", "confirm "+w.Meeting, "primary")})
			case bot.WaitDueChange:
				ref := w.Task.String()
				add(tasks, ref, "", s.w("home.item.due_change", words.Args{"task": ref, "title": bot.Truncate(w.Title, maxQuote), "due": s.fmtTime(w.Due)}),
					[]action{button("button.agree", "task "+ref+" approve", "primary")})
			case bot.WaitTaskConfirmation:
				ref := w.Task.String()
				add(tasks, ref, "", s.w("home.item.task_confirmation", words.Args{"task": ref, "title": bot.Truncate(w.Title, maxQuote), "owner": s.name(w.Owner)}),
					confirmButtons(ref))
			case bot.WaitAcceptance:
				add(reviews, id, "", s.w("home.item.acceptance", words.Args{"ref": id, "topic": topic}), acceptanceButtons(id))
			case bot.WaitRisk:
				ref := w.Risk.String()
				add(tasks, ref, "", s.w("home.item.risk", words.Args{"risk": ref, "title": bot.Truncate(w.Title, maxQuote), "ref": id}),
					[]action{button("button.respond", "risk "+ref+" respond", "primary")})
			case bot.WaitRedeliver:
				add(tasks, id, "", s.w("home.item.redeliver", words.Args{"ref": id, "topic": topic, "due": s.fmtTime(w.Due)}),
					[]action{button("button.deliver", "deliver "+id, "primary")})
			case bot.WaitRetrospective, bot.WaitArchive:
				// The coordinator's row of the collaboration offers them.
			default:
				if key, a, ok := s.stepWait(c, w); ok {
					add(reviews, id, "", s.w("home."+strings.TrimPrefix(key, "reply."), a), stepButtons(id, w))
				}
			}
		}
		for _, t := range c.OpenTasksOf(p.ID) {
			ref, shown := t.ID.String(), t.Shown(now)
			var bs []action
			if t.Status == bot.TaskTodo {
				bs = append(bs, button("button.start", "task "+ref+" start", "primary"))
			}
			bs = append(bs, button("button.done", "task "+ref+" done", ""))
			add(tasks, ref, record.TaskEmoji(shown), s.w("home.item.task", words.Args{"task": ref, "title": bot.Truncate(t.Title, maxQuote),
				"status": record.TaskState(shown, t.Status, "", s.lang, nil), "due": s.fmtTime(t.Due), "ref": id}), bs)
		}
		for _, m := range c.Held() {
			if m.Organiser == p.ID && !m.Cancelled && m.Minutes == nil && !m.End().After(now) {
				ref := m.Ref()
				add(meetings, ref, "", s.w("home.item.minutes", words.Args{"meeting": ref, "ref": id}),
					[]action{button("button.minutes", "meeting "+ref+" minutes", "primary")})
			}
		}
		if c.Coordinator == p.ID {
			bs := []action{button("button.board", "board "+id, "")}
			if c.Status == bot.StatusActive {
				bs = append(bs, button("home.button.add_task", "task add "+id, ""), button("home.button.deliver", "deliver "+id, ""))
			}
			switch {
			case c.Status == bot.StatusRetrospective && c.Retrospective == nil:
				bs = append(bs, button("button.retro", "retro "+id, "primary"))
			case c.Status == bot.StatusRetrospective:
				bs = append(bs, button("home.button.archive", "archive "+id, "primary"))
			}
			add(coordinating, id, "", s.w("home.item.coordinating", words.Args{"ref": id, "topic": topic, "status": c.Status.Label(s.lang)}), bs)
		}
	}
	for _, sec := range sections {
		if len(sec.Items) > 0 {
			h.Sections = append(h.Sections, sec)
		}
	}
	return h, nil
}

// buttons are a notice's actions as a reader's buttons: a click sends the
// command, as a click on the notice does.
func (e *Engine) buttons(actions []action, lang bot.Lang) []bot.Button {
	var out []bot.Button
	for _, b := range actions {
		out = append(out, bot.Button{Label: b.Label.In(lang), Action: "command", Value: b.Command,
			Command: e.spoken(b.Command, lang), Style: b.Style})
	}
	return out
}

// homeTx is a transaction that, when a collaboration is saved, asks for
// the home pages of those it concerns to be published again.
type homeTx struct {
	bot.Tx
	e   *Engine
	ws  bot.Workspace
	dir *bot.Directory
	now time.Time
}

// Unwrap is the store's own transaction, for a caller that looks for an
// optional interface on it.
func (t *homeTx) Unwrap() bot.Tx { return t.Tx }

func (t *homeTx) Save(ctx context.Context, c *bot.Collaboration) error {
	if err := t.Tx.Save(ctx, c); err != nil {
		return err
	}
	return t.e.refreshHomes(ctx, t.ws, t.Tx, t.dir, c, t.now)
}

// refreshHomes enqueues a home refresh for everyone who opened their home
// and whom the collaboration concerns: its participants, and the heads
// and contacts of its departments. The key gathers the changes of a few
// seconds into one publication, sent when they are over.
func (e *Engine) refreshHomes(ctx context.Context, ws bot.Workspace, tx bot.Tx, dir *bot.Directory, c *bot.Collaboration, now time.Time) error {
	l, err := e.openers(ctx, ws, tx, now)
	if err != nil || len(l.who) == 0 {
		return err
	}
	// Those it concerns: its participants and its departments' heads and
	// contacts (a handful), looked up among those who opened a home.
	concerned := c.Participants()
	for _, d := range c.Departments() {
		if dep, ok := dir.Department(d.Department); ok {
			concerned = append(concerned, dep.Head, dep.Contact)
		}
	}
	return e.queueHomes(ctx, tx, l, concerned, now)
}

// RefreshHomes enqueues a home refresh for those of people who opened
// their home: the scheduler's, when the clock changed what a page shows
// (a task turned overdue) and nobody saved anything.
func (e *Engine) RefreshHomes(ctx context.Context, ws bot.Workspace, tx bot.Tx, people []bot.PersonID, now time.Time) error {
	l, err := e.openers(ctx, ws, tx, now)
	if err != nil || len(l.who) == 0 {
		return err
	}
	return e.queueHomes(ctx, tx, l, slices.Clone(people), now)
}

// queueHomes enqueues the refreshes, keyed per person and platform and
// per few seconds, so that a burst publishes once.
func (e *Engine) queueHomes(ctx context.Context, tx bot.Tx, l *homeList, concerned []bot.PersonID, now time.Time) error {
	slices.Sort(concerned)
	concerned = slices.Compact(concerned)
	slot := now.Truncate(homeDelay)
	due := slot.Add(homeDelay)
	var out []bot.Notice
	for _, p := range concerned {
		for _, pl := range l.who[p] {
			out = append(out, bot.Notice{Key: "home/" + string(pl) + "/" + string(p) + "/" + strconv.FormatInt(slot.Unix(), 10),
				To: p, Kind: bot.KindHome, Params: map[string]string{"platform": string(pl)}, At: due})
		}
	}
	if len(out) == 0 {
		return nil
	}
	_, err := tx.Enqueue(ctx, out...)
	return err
}

// homeNotification renders a home refresh when it is sent: the page as it
// is now, for the person's account on the platform they opened it on.
func (e *Engine) homeNotification(ctx context.Context, ws bot.Workspace, tx bot.Tx, dir *bot.Directory, n bot.Notice, out *bot.Notification) error {
	p, _ := dir.Person(n.To)
	p.ID = n.To
	platform := bot.Platform(n.Params["platform"])
	out.Accounts = slices.DeleteFunc(slices.Clone(out.Accounts), func(a bot.Identity) bool { return a.Platform != platform })
	if len(out.Accounts) == 0 {
		for _, a := range p.Identities {
			if a.Platform == platform {
				out.Accounts = append(out.Accounts, a)
			}
		}
		if platform == bot.Console {
			out.Accounts = append(out.Accounts, bot.Identity{Platform: bot.Console, ID: string(p.ID)})
		}
	}
	out.NotBefore = time.Time{} // a page, not a message: quiet hours do not hold it back
	h, err := e.home(ctx, ws, tx, dir, p, e.Clock.Now())
	if err != nil {
		return err
	}
	out.Home = h
	out.Lang = h.Lang
	out.Reply = bot.Reply{Title: h.Title}
	return nil
}
