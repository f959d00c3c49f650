// Package console is the terminal adapter: anyone can try collabot, and
// tests can script whole collaborations, with no chat account.
//
// A line is a message; several lines between two lines holding only """
// are one message (a pasted form). Lines starting with ':' steer the
// terminal itself: ':as bob' changes who speaks, ':lang en|zh', ':dm' and
// ':group' switch between a direct chat with the bot and the group, ':help'.
// A line "附件 <path|url>" (or "attach …") shares files with the open form.
package console

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// Handler answers a message (the conversation engine).
type Handler interface {
	Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error)
}

// Console runs a terminal chat. It is also a bot.Sender: the outbox
// dispatcher prints notifications through it, each with its recipient.
type Console struct {
	Workspace bot.Workspace
	Handler   Handler
	// Deliver, when set, is called after each message to deliver the
	// notifications it caused (the dispatcher, printing through Send).
	Deliver func(ctx context.Context) error
	In      io.Reader
	Out     io.Writer
	As      bot.PersonID // who speaks first
	Group   string       // the demo group chat's name
	// Interactive prints a prompt before each line (a terminal, not a pipe).
	Interactive bool
	// Clock is the time the bot lives in; ':clock +2h' moves it.
	Clock    *Clock
	Location *time.Location

	direct bool
	seq    int
	outMu  sync.Mutex
}

var _ bot.Sender = (*Console)(nil)

// defaultGroup is the demo group chat's name when none is given.
const defaultGroup = "demo-group"

// MaxLine is how much of one line the terminal keeps. A longer line is
// read to its end and dropped past this, so memory stays bounded whatever
// is pasted; what is kept is far over the engine's limit, which refuses
// it politely, and the next line is read as usual.
const MaxLine = 1 << 20

// Run reads messages until the input ends or ctx is cancelled.
func (c *Console) Run(ctx context.Context) error {
	if c.Group == "" {
		c.Group = defaultGroup
	}
	if c.Clock == nil {
		c.Clock = NewClock(time.Time{})
	}
	if c.Location == nil {
		c.Location = time.Local
	}
	in := bufio.NewReaderSize(c.In, 64<<10)
	c.greet()
	var block []string
	inBlock := false
	var readErr error
	for {
		if c.Interactive && !inBlock {
			fmt.Fprintf(c.w(), "%s> ", c.As)
		}
		line, err := readLine(in, MaxLine)
		if err != nil {
			if err != io.EOF {
				readErr = fmt.Errorf("console: read: %w", err)
			}
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case strings.TrimSpace(line) == `"""`:
			if inBlock {
				c.send(ctx, strings.Join(block, "\n"))
				block = nil
			}
			inBlock = !inBlock
		case inBlock:
			block = append(block, line)
		case strings.HasPrefix(strings.TrimSpace(line), ":"):
			c.control(ctx, strings.TrimSpace(line))
		case strings.TrimSpace(line) == "":
		default:
			c.send(ctx, line)
		}
	}
	if inBlock && len(block) > 0 {
		c.send(ctx, strings.Join(block, "\n")) // an unterminated paste still counts
	}
	return readErr
}

// readLine reads one line without its line ending, keeping at most max
// bytes of it and discarding the rest up to the line's end: a line of any
// length costs max bytes, never an error. It returns io.EOF only when
// nothing is left; a last line without a newline is a line.
func readLine(r *bufio.Reader, max int) (string, error) {
	var line []byte
	read := false
	for {
		chunk, err := r.ReadSlice('\n')
		read = read || len(chunk) > 0
		if room := max - len(line); room > 0 {
			line = append(line, chunk[:min(len(chunk), room)]...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue // the line goes on
		case err == io.EOF && read:
			return strings.TrimSuffix(string(line), "\r"), nil
		case err != nil:
			return "", err
		}
		return strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"), nil
	}
}

func (c *Console) greet() {
	fmt.Fprintf(c.w(), "collabot terminal chat · workspace %s · you are @%s in #%s\n", c.Workspace, c.As, c.Group)
	fmt.Fprintln(c.w(), `Type "help" (or "帮助") for commands; ":as <person>" to speak as someone else; ":help" for terminal commands.`)
}

func (c *Console) control(ctx context.Context, line string) {
	word, arg, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	arg = strings.TrimSpace(arg)
	switch word {
	case "as":
		if arg == "" {
			fmt.Fprintf(c.w(), "you are @%s\n", c.As)
			return
		}
		c.As = bot.PersonID(strings.TrimPrefix(arg, "@"))
		fmt.Fprintf(c.w(), "— now speaking as @%s\n", c.As)
	case "lang":
		c.send(ctx, "lang "+arg)
	case "dm":
		c.direct = true
		fmt.Fprintln(c.w(), "— now in a direct chat with the bot")
	case "group":
		c.direct = false
		fmt.Fprintf(c.w(), "— now in #%s\n", c.Group)
	case "clock":
		if arg == "" {
			fmt.Fprintf(c.w(), "— it is %s\n", c.Clock.Now().In(c.Location).Format("2006-01-02 15:04 Mon"))
			return
		}
		t, err := c.Clock.Set(arg, c.Location)
		if err != nil {
			fmt.Fprintf(c.w(), "— %v\n", err)
			return
		}
		fmt.Fprintf(c.w(), "— the clock is now %s\n", t.In(c.Location).Format("2006-01-02 15:04 Mon"))
		c.deliver(ctx) // whatever fell due meanwhile: reminders, escalations
	case "help":
		fmt.Fprintln(c.w(), `:as <person>   speak as another person of the organisation
:lang en|zh    switch your language
:dm / :group   talk to the bot directly / in the group
:clock [+2h|+1d|2026-11-24 10:00]   show or move the bot's clock forward (demos, scripts)
"""            start or end a message of several lines (a pasted form)`)
	default:
		fmt.Fprintf(c.w(), "unknown terminal command %q; try :help\n", word)
	}
}

func (c *Console) send(ctx context.Context, text string) {
	c.seq++
	channel := c.Group
	if c.direct {
		channel = "dm-" + string(c.As)
	}
	m := bot.Message{Workspace: c.Workspace, Platform: bot.Console, Channel: channel, Direct: c.direct,
		From: bot.Identity{Platform: bot.Console, ID: string(c.As)}, Name: string(c.As), Text: text, At: c.Clock.Now()}
	if atts, ok := attachments(text); ok {
		m.Text, m.Attachments = "", atts
	}
	replies, err := c.Handler.Handle(ctx, m)
	for _, r := range replies {
		c.print("", r)
	}
	if err != nil {
		fmt.Fprintf(c.w(), "(error: %v)\n", err)
	}
	c.deliver(ctx)
}

// deliver has the notifications the message caused delivered, which
// prints them through Send.
func (c *Console) deliver(ctx context.Context) {
	if c.Deliver == nil {
		return
	}
	if err := c.Deliver(ctx); err != nil {
		fmt.Fprintf(c.w(), "(could not deliver notifications: %v)\n", err)
	}
}

// Platform implements bot.Sender.
func (c *Console) Platform() bot.Platform { return bot.Console }

// Send implements bot.Sender: it prints a notification with its
// recipient, the way it would arrive in a real chat. The terminal shows
// everyone's notifications, so it can stand in for any platform.
func (c *Console) Send(_ context.Context, n bot.Notification) error {
	to := "→ #" + cmp.Or(c.Group, defaultGroup)
	if n.To != "" {
		to = "→ @" + string(n.To) + " (DM)"
	}
	return c.print(to+": ", n.Reply)
}

// print renders a reply as plain text.
func (c *Console) print(prefix string, r bot.Reply) error {
	var b strings.Builder
	b.WriteString(prefix)
	if r.Title != "" {
		b.WriteString("【" + r.Title + "】\n")
	}
	switch {
	case r.File != nil:
		// A terminal takes the file as it is: it can be piped or copied.
		b.WriteString("(" + r.File.Name + ")\n" + strings.TrimRight(string(r.File.Data), "\n") + "\n")
	case r.Body != "":
		b.WriteString(r.Body + "\n")
	}
	for _, f := range r.Fields {
		b.WriteString("  " + f.Label + ": " + strings.ReplaceAll(f.Value, "\n", "\n    ") + "\n")
	}
	if len(r.Buttons) > 0 {
		var bs []string
		for _, btn := range r.Buttons {
			bs = append(bs, "["+btn.Label+"] "+btn.Command)
		}
		b.WriteString("  " + strings.Join(bs, "  ") + "\n")
	}
	if prefix != "" {
		// Indent a notification under its recipient line.
		s := strings.TrimRight(b.String(), "\n")
		b.Reset()
		b.WriteString(strings.ReplaceAll(s, "\n", "\n    ") + "\n")
	}
	if _, err := io.WriteString(c.w(), b.String()); err != nil {
		return fmt.Errorf("console: print: %w", err)
	}
	return nil
}

// w is Out for one whole write at a time: a dispatcher may print a
// notification from another goroutine while the chat prints a reply.
func (c *Console) w() io.Writer { return lockedWriter{c} }

type lockedWriter struct{ c *Console }

func (l lockedWriter) Write(p []byte) (int, error) {
	l.c.outMu.Lock()
	defer l.c.outMu.Unlock()
	return l.c.Out.Write(p)
}
