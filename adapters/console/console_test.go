package console

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// handlerFunc is a fake engine with a function field.
type handlerFunc func(ctx context.Context, m bot.Message) ([]bot.Reply, error)

func (f handlerFunc) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	return f(ctx, m)
}

// run types script into a console; deliver, when set, is its Deliver
// hook given the console itself (as the dispatcher's sender).
func run(t *testing.T, script string, deliver func(c *Console) func(context.Context) error) ([]bot.Message, string) {
	t.Helper()
	var got []bot.Message
	var out bytes.Buffer
	c := &Console{Workspace: "demo", As: "amy", In: strings.NewReader(script), Out: &out, Location: time.UTC,
		Clock: NewClock(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)),
		Handler: handlerFunc(func(_ context.Context, m bot.Message) ([]bot.Reply, error) {
			got = append(got, m)
			return []bot.Reply{{Title: "T", Body: "echo " + m.Text, Fields: []bot.Field{{Label: "k", Value: "v"}},
				Buttons: []bot.Button{{Label: "OK", Command: "confirm"}}}}, nil
		})}
	if deliver != nil {
		c.Deliver = deliver(c)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return got, out.String()
}

func TestConsole(t *testing.T) {
	tests := []struct {
		name   string
		script string
		texts  []string
		from   []bot.PersonID
		out    []string
	}{
		{"a line is a message", "help\n\n  \nlist\n", []string{"help", "list"}, []bot.PersonID{"amy", "amy"}, []string{"【T】", "echo help", "k: v", "[OK] confirm"}},
		{"a block is one message", "\"\"\"\nnew\ntopic: x\n\"\"\"\n", []string{"new\ntopic: x"}, nil, nil},
		{"an unterminated block still counts", "\"\"\"\nnew\ntopic: x\n", []string{"new\ntopic: x"}, nil, nil},
		{":as changes the speaker", "a\n:as @ben\nb\n", []string{"a", "b"}, []bot.PersonID{"amy", "ben"}, []string{"now speaking as @ben"}},
		{":lang is sent to the bot", ":lang en\n", []string{"lang en"}, nil, nil},
		{":clock moves forward only", ":clock +1d\n:clock 2020-01-01 00:00\n:clock\n", nil, nil,
			[]string{"2026-11-24 02:00", "only moves forward", "it is 2026-11-24"}},
		{"unknown terminal command", ":frob\n", nil, nil, []string{`unknown terminal command "frob"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, out := run(t, tt.script, nil)
			var texts []string
			for i, m := range got {
				texts = append(texts, m.Text)
				if tt.from != nil && m.From.ID != string(tt.from[i]) {
					t.Errorf("message %d from %s, want %s", i, m.From.ID, tt.from[i])
				}
				if m.Platform != bot.Console || m.Workspace != "demo" || m.Channel != "demo-group" {
					t.Errorf("message %+v", m)
				}
			}
			if strings.Join(texts, "|") != strings.Join(tt.texts, "|") {
				t.Errorf("messages %q, want %q", texts, tt.texts)
			}
			for _, w := range tt.out {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestConsolePrintsNotificationsWithRecipient(t *testing.T) {
	deliver := func(c *Console) func(context.Context) error {
		return func(ctx context.Context) error {
			if c.Platform() != bot.Console {
				t.Errorf("platform %q", c.Platform())
			}
			return errors.Join(
				c.Send(ctx, bot.Notification{To: "ben", Group: "slack:C1", Reply: bot.Reply{Title: "请确认", Body: "第一行\n第二行"}}),
				c.Send(ctx, bot.Notification{Group: "console:demo-group", Reply: bot.Reply{Body: "群消息"}}),
			)
		}
	}
	_, out := run(t, "hi\n", deliver)
	for _, w := range []string{"→ @ben (DM): 【请确认】", "\n    第二行", "→ #demo-group: 群消息"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestConsoleReportsDeliveryErrors(t *testing.T) {
	_, out := run(t, "hi\n", func(*Console) func(context.Context) error {
		return func(context.Context) error { return errors.New("outbox locked") }
	})
	if !strings.Contains(out, "(could not deliver notifications: outbox locked)") {
		t.Errorf("output:\n%s", out)
	}
}

// brokenWriter is a terminal that went away.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestSendFailsWhenTheTerminalIsGone(t *testing.T) {
	c := &Console{Out: brokenWriter{}}
	if err := c.Send(context.Background(), bot.Notification{Reply: bot.Reply{Body: "x"}}); err == nil {
		t.Error("a notification printed nowhere counted as delivered")
	}
}

func TestDirectChat(t *testing.T) {
	got, _ := run(t, ":dm\nhi\n:group\nho\n", nil)
	if len(got) != 2 || !got[0].Direct || got[0].Channel != "dm-amy" || got[1].Direct {
		t.Errorf("messages %+v", got)
	}
}
