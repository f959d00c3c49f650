// Package engine is the conversation engine: it turns what people type or
// click, in Chinese or English, into the collaboration's lifecycle rules,
// walks them through the process forms one question at a time, and renders
// replies and notifications platform-neutrally.
//
// One message is one store transaction: the dialog state, the domain
// change, its timeline and the notifications it causes commit together.
package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/recent"
	"github.com/collabot/collabot/internal/words"
	"github.com/collabot/collabot/scheduler"
)

// Deps is what the engine works with.
type Deps struct {
	Store     bot.Store
	Directory *bot.Directory // the configured organisation
	Calendar  *calendar.Calendar
	Forms     *forms.Set
	Clock     bot.Clock
	Log       *slog.Logger
	Lang      bot.Lang      // the workspace's language
	Idle      time.Duration // a half-filled form is put aside after this long untouched
	// Policy is the workspace's timers, as the scheduler runs them: texts
	// quote them ("within 1 business day") and `remind` lists them.
	Policy scheduler.Policy
	// GroupLangs are the languages of group chats that have their own
	// ("slack:C0123" → en); other groups read the workspace's language.
	GroupLangs map[string]bot.Lang
	// Observer hears what the engine did, for metrics; nil hears nothing.
	Observer Observer
	// Web signs links to the web board; nil while the board is off.
	Web WebLinks
}

// Observer is told about events the engine recognised as redelivered and
// about each answer given inside a form dialog. Calls come after the
// transaction committed, so a retried transaction is counted once.
type Observer interface {
	Duplicate(p bot.Platform)
	DialogStep(form string)
}

// Engine answers messages. It is safe for concurrent use: all state is in
// the store.
type Engine struct {
	Deps
	commands []command
	roster   atomic.Pointer[bot.Roster] // Directory merged with the people registered on first contact
	// reads remembers events answered on the read path, which records
	// nothing: a redelivery to this process is still told apart.
	reads *recent.Set
	homes homeBook // who opened their home page (home.go)
}

// MaxMessageBytes caps one message. A pasted request with every field
// filled is a few KB; anything near this is a paste gone wrong, refused
// before it reaches the store.
const MaxMessageBytes = 32 << 10

// formKeys are the fields each form must keep, however a deployment
// overrides its templates: the engine maps them onto the domain.
var formKeys = map[string][]string{
	"request":         {"topic", "goal", "departments", "requirements", "due"},
	"acknowledgement": {"decision", "scope", "resources", "risks", "reason", "alternative", "question"},
	"review":          {"decision", "comments"},
	"task":            {"title", "department", "owner", "due", "standard"},
	"progress":        {"done", "pending", "problems", "status"},
	"meeting":         {"kind", "start", "duration", "attendees", "agenda", "materials"},
	"agenda":          {"agenda", "materials"},
	"minutes":         {"decisions", "actions", "risks"},
	"risk":            {"description", "impact", "severity", "department", "owner"},
	"risk_response":   {"response", "due"},
	"delivery":        {"items", "selfcheck"},
	"acceptance":      {"verdict", "comments", "items", "due"},
	"retrospective":   {"highlights", "improvements", "actions"},
}

// New checks the templates and builds the command table.
func New(d Deps) (*Engine, error) {
	if d.Store == nil || d.Directory == nil || d.Calendar == nil || d.Forms == nil {
		return nil, errors.New("engine: store, directory, calendar and forms are required")
	}
	if d.Clock == nil {
		d.Clock = bot.SystemClock
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Lang == "" {
		d.Lang = bot.Chinese
	}
	if d.Idle <= 0 {
		d.Idle = 30 * time.Minute
	}
	if d.Policy == (scheduler.Policy{}) {
		d.Policy = scheduler.DefaultPolicy()
	}
	var errs []error
	for name, keys := range formKeys {
		if err := d.Forms.Require(name, keys...); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("engine: templates: %w", err)
	}
	e := &Engine{Deps: d, reads: recent.New(4096)}
	e.commands = commandTable()
	return e, nil
}

// Handle answers one message. A redelivered event (same EventID) gets no
// answer at all: the first delivery already had one.
func (e *Engine) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	start := time.Now()
	now := e.Clock.Now()
	if m.At.IsZero() {
		m.At = now
	}
	lang := e.Lang
	var dir *bot.Directory // the speaker's, to name the people a refusal names
	if len(m.Text) > MaxMessageBytes {
		return e.tooLong(ctx, m)
	}
	m.Text = strings.ToValidUTF8(m.Text, "\uFFFD")
	var replies []bot.Reply
	var waiting *bot.Reply // the open form's question, repeated after a command
	event := ""
	if m.EventID != "" {
		event = string(m.Platform) + ":" + m.EventID
	}
	var err error
	step := "" // the form a dialog step answered, if any
	durable := m.ReplyTo != "" && event != ""
	handle := func(tx bot.Tx) (err error) {
		// A bug met by one message must not take the process down with it:
		// the panic becomes a refusal, so the transaction rolls back (the
		// store sees an error, never the panic) and the event is answered.
		defer func() {
			if p := recover(); p != nil {
				e.Log.Error("panic handling a message", "workspace", m.Workspace, "platform", m.Platform,
					"event", m.EventID, "panic", p, "stack", string(debug.Stack()))
				replies, step, waiting = nil, "", nil
				err = bot.Refuse(codePanic, "refuse.panic", nil)
			}
		}()
		replies, step, waiting = nil, "", nil
		s, err := e.session(ctx, tx, m, now)
		if err != nil {
			return err
		}
		lang, dir = s.lang, s.dir
		err = s.handle(ctx)
		if afterCommand != nil {
			afterCommand(m)
		}
		replies, step = s.out, s.step
		if s.open != nil && s.ran {
			r := s.pending(s.open)
			waiting = &r
		}
		return err
	}
	// The answer of a durable event commits with the event: a crash after
	// the commit cannot lose it, and the redelivery that follows is a
	// duplicate with nothing to say.
	record := func(tx bot.Tx, out []bot.Reply) error {
		if !durable {
			return nil
		}
		return e.recordReplies(ctx, tx, event, m, out, now)
	}
	// A command that only reads is answered from a read transaction and
	// never waits for the writer; if it turns out to write after all (a
	// newcomer to register, a form to put aside) it runs again in Apply.
	// The event stays in the ring when it goes to the writer too: a
	// redelivery, which may then find nothing to write, is still known. A
	// durable read still records its answer, in a short write of its own.
	read := e.readOnly(m)
	ringed := read && event != ""
	if ringed && !e.reads.Add(event) {
		err = bot.ErrDuplicateEvent
	} else if read {
		err = e.Store.View(ctx, m.Workspace, func(tx bot.Tx) error {
			// Recorded by the writer before (it wrote, or this process
			// restarted since): a redelivery.
			if seen, err := tx.Recorded(ctx, event); err != nil || seen {
				return cmp.Or(err, error(bot.ErrDuplicateEvent))
			}
			return handle(tx)
		})
		if errors.Is(err, bot.ErrReadOnly) {
			read = false
		} else if err == nil && durable {
			err = e.Store.Apply(ctx, m.Workspace, event, func(tx bot.Tx) error { return record(tx, appendReply(replies, waiting)) })
		}
	}
	for attempt := 0; !read && attempt < 3; attempt++ {
		err = e.Store.Apply(ctx, m.Workspace, event, func(tx bot.Tx) error {
			if err := handle(tx); err != nil {
				return err
			}
			return record(tx, appendReply(replies, waiting))
		})
		if !errors.Is(err, bot.ErrConflict) {
			break
		}
	}
	// The logger with the message's attributes is built only for a line
	// that is written: With formats them at once, on every message.
	log := func() *slog.Logger {
		return e.Log.With("workspace", m.Workspace, "platform", m.Platform, "channel", m.Channel, "event", m.EventID)
	}
	var refusal *bot.Error
	switch {
	case err == nil:
		if e.Log.Enabled(ctx, slog.LevelDebug) {
			log().Debug("message handled", "replies", len(replies), "latency", time.Since(start))
		}
		if step != "" && e.Observer != nil {
			e.Observer.DialogStep(step)
		}
		if durable {
			return []bot.Reply{}, nil
		}
		return appendReply(replies, waiting), nil
	case errors.Is(err, bot.ErrDuplicateEvent):
		log().Info("duplicate event ignored")
		if e.Observer != nil {
			e.Observer.Duplicate(m.Platform)
		}
		return nil, nil
	case errors.As(err, &refusal):
		// The change rolled back; remember the event anyway so that a
		// redelivery is not refused a second time (a read is answered
		// again instead: it changed nothing).
		var name words.Namer
		if dir != nil {
			name = dir.Name
		}
		out := appendReply(append(replies, bot.Reply{Body: "⚠️ " + words.RefusalNamed(lang, refusal, name), Refusal: refusal}), waiting)
		if event != "" && (!read || durable) {
			err := e.Store.Apply(ctx, m.Workspace, event, func(tx bot.Tx) error { return record(tx, out) })
			switch {
			case err == nil && durable:
				return []bot.Reply{}, nil
			case errors.Is(err, bot.ErrDuplicateEvent):
				// Another delivery recorded it meanwhile, with its answer.
				return nil, nil
			case errors.Is(err, bot.ErrOverloaded) || ctx.Err() != nil:
				// Not recorded: refused, so the redelivery is answered.
				log().Warn("refused event not recorded: overloaded", "err", err)
				return nil, overloaded(err)
			case err != nil:
				log().Warn("recording a refused event", "err", err)
			}
		}
		return out, nil
	case errors.Is(err, bot.ErrOverloaded) || ctx.Err() != nil:
		// Not recorded in time (the writer's queue was full, or the
		// adapter's ack budget ran out): the adapter refuses the event
		// and the platform delivers it again.
		if ringed {
			e.reads.Forget(event)
		}
		log().Warn("message refused: overloaded", "err", err)
		return nil, overloaded(err)
	default:
		if ringed {
			e.reads.Forget(event) // not answered: a redelivery tries again
		}
		log().Error("message failed", "err", err)
		return []bot.Reply{{Body: "⚠️ " + words.Refusal(lang, err)}}, err
	}
}

// codePanic is the refusal a panic while handling a message becomes.
const codePanic bot.Code = "internal"

// afterCommand, when a test sets it, runs after a command changed the
// transaction and before it commits: how a test makes a command panic.
var afterCommand func(bot.Message)

// overloaded marks an event not recorded in time as bot.ErrOverloaded,
// which adapters refuse in a way their platform redelivers.
func overloaded(err error) error {
	if errors.Is(err, bot.ErrOverloaded) {
		return err
	}
	return fmt.Errorf("engine: %w: %w", bot.ErrOverloaded, err)
}

// recordReplies writes an event's replies to the outbox, in the event's
// transaction.
func (e *Engine) recordReplies(ctx context.Context, tx bot.Tx, event string, m bot.Message, replies []bot.Reply, now time.Time) error {
	if len(replies) == 0 {
		return nil
	}
	if _, err := tx.Enqueue(ctx, bot.ReplyNotice(event, m, replies, now)); err != nil {
		return fmt.Errorf("engine: record replies: %w", err)
	}
	return nil
}

func appendReply(replies []bot.Reply, r *bot.Reply) []bot.Reply {
	if r == nil {
		return replies
	}
	return append(replies, *r)
}

// session is one message being handled: who speaks, in which language,
// with which roles, and the transaction everything happens in.
type session struct {
	e      *Engine
	tx     bot.Tx
	msg    bot.Message
	now    time.Time
	person bot.Person
	actor  bot.Actor
	dir    *bot.Directory
	lang   bot.Lang
	key    bot.DialogKey
	conv   *conversation // the person's forms in this chat
	open   *dialog       // the form open when the message arrived, until replaced
	out    []bot.Reply
	step   string // the form this message answered a question of
	ran    bool   // a command ran while a form was open
	parked bool   // the open form was put aside for idling when the message came
	// describing is set when the command is run only to learn the form it
	// opens (FormFor): the form is kept in described, not started.
	describing bool
	described  *described
	// details: the form adds to something already answered (the details
	// of an acceptance), so it is always asked, never taken in one tap.
	details bool
	// attached: the message's files joined a form.
	attached bool
	// told: the fields a paste got wrong whose problem this message
	// already said.
	told []string
}

// directory is the organisation with everyone registered on first
// contact, kept in memory and refreshed when the store's people version
// moves (one indexed look-up per call).
func (e *Engine) directory(ctx context.Context, ws bot.Workspace, tx bot.Tx) (*bot.Directory, error) {
	r := e.roster.Load()
	if r == nil || r.Base() != e.Directory {
		r = bot.NewRoster(e.Directory)
		e.roster.Store(r)
	}
	return r.Directory(ctx, ws, tx)
}

func (e *Engine) session(ctx context.Context, tx bot.Tx, m bot.Message, now time.Time) (*session, error) {
	dir, err := e.directory(ctx, m.Workspace, tx)
	if err != nil {
		return nil, err
	}
	person, err := e.identify(ctx, tx, dir, m)
	if err != nil {
		return nil, err
	}
	if person.Registered {
		dir = dir.With([]bot.Person{person})
	}
	settings, err := tx.Settings(ctx, person.ID)
	if err != nil {
		return nil, err
	}
	// Rules get now in the workspace's zone: the times they write for
	// people ("已于 … 答复") read as the workspace's clock.
	s := &session{e: e, tx: tx, msg: m, now: now.In(e.Calendar.Location()), person: person, dir: dir,
		key: bot.DialogKey{Channel: string(m.Platform) + ":" + m.Channel, Person: person.ID}}
	s.actor = dir.Actor(person.ID)
	if len(s.actor.Departments) == 0 && settings.Department != "" {
		s.actor.Departments = []string{settings.Department}
	}
	s.lang = firstLang(settings.Lang, person.Lang, e.Lang)
	// Saved changes refresh the home pages of those they concern.
	s.tx = &homeTx{Tx: tx, e: e, ws: m.Workspace, dir: dir, now: now}
	s.tx = &stepTx{Tx: s.tx, s: s} // optional steps open as a change is saved
	return s, nil
}

func firstLang(ls ...bot.Lang) bot.Lang {
	for _, l := range ls {
		if l != "" {
			return l
		}
	}
	return bot.Chinese
}

// identify finds who is speaking: a configured person by platform identity
// (on the console the identity is the person id), someone registered
// before, or a newcomer registered now.
func (e *Engine) identify(ctx context.Context, tx bot.Tx, dir *bot.Directory, m bot.Message) (bot.Person, error) {
	if m.From.ID == "" {
		return bot.Person{}, errors.New("engine: message without a sender")
	}
	if m.From.Platform == bot.Console {
		if p, ok := dir.Person(bot.PersonID(m.From.ID)); ok {
			return p, nil
		}
	}
	if p, ok := dir.ByIdentity(m.From.Platform, m.From.ID); ok {
		return p, nil
	}
	if p, ok, err := tx.PersonByIdentity(ctx, m.From); err != nil || ok {
		return p, err
	}
	p, err := tx.RegisterPerson(ctx, bot.Newcomer(m.From, m.Name, ""))
	if err == nil {
		e.Log.Info("new person registered", "person", p.ID)
	}
	return p, err
}

func (s *session) reply(r bot.Reply) { s.out = append(s.out, r) }

// name is how a person is shown: their display name, or their id.
func (s *session) name(id bot.PersonID) string { return s.dir.Name(id) }

func (s *session) formContext() forms.Context {
	return forms.Context{Now: s.now, Calendar: s.e.Calendar, Directory: s.dir,
		Mentions: s.msg.Mentions, Platform: s.msg.Platform}
}
