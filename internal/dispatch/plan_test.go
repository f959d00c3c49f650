package dispatch_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

// TestFanOutTouchesEachRowAboutOnce is the 17:00 wave on the fake clock:
// 500 DMs queued at once under Slack's default limits (5 a second, bursts
// of 10). The dispatcher claims only what may go; the first pass, which
// does not know the workspace yet, schedules what it cannot send in one
// write; no row is claimed more than twice, and the wave ends at the
// limit's pace.
func TestFanOutTouchesEachRowAboutOnce(t *testing.T) {
	c := newClock()
	out := batchOutbox{&memOutbox{}}
	const n = 500
	for i := range n {
		out.add(notice(key(i), fmt.Sprintf("p%03d", i), fmt.Sprintf("slack:U%03d", i)))
	}
	s := newSender(bot.Slack, c)
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c})
	drainFor(t, d, c, out.memOutbox, 20*time.Millisecond, 3*time.Minute)

	claims, most := 0, 0
	for _, r := range out.rows {
		claims += r.claims
		most = max(most, r.claims)
		if r.q.Attempts != 1 {
			t.Errorf("row %d: %d attempts", r.q.ID, r.q.Attempts)
		}
	}
	if most > 2 || float64(claims)/n > 1.2 {
		t.Errorf("%d claims for %d rows, at most %d for one; want ≤ 1.2 a row, ≤ 2 each", claims, n, most)
	}
	if out.writes > 3 {
		t.Errorf("%d writes scheduling rows, want the kept-back rows of a pass in one", out.writes)
	}
	got := s.deliveries()
	last := got[len(got)-1].at.Sub(t0)
	if ideal := (n - 10) * 200 * time.Millisecond; last < ideal || last > ideal+2*time.Second {
		t.Errorf("the last DM went at +%s, want about +%s (5 a second after a burst of 10)", last, ideal)
	}
	for i := range got {
		if i+15 < len(got) && got[i+15].at.Sub(got[i].at) < time.Second {
			t.Fatalf("16 DMs within a second from +%s", got[i].at.Sub(t0))
		}
	}
}

// TestQuietHoursWait: a notice rendered with NotBefore (the recipient's
// quiet hours) waits for it, with no attempt counted, and goes then.
func TestQuietHoursWait(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	quiet := out.add(notice(key(0), "ann", "slack:U0ANN"))
	awake := out.add(notice(key(1), "ben", "slack:U0BEN"))
	morning := t0.Add(9 * time.Hour)
	rend := func(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
		no, err := render(ctx, ws, n)
		if n.To == "ann" {
			no.NotBefore = morning
		}
		return no, err
	}
	s := newSender(bot.Slack, c)
	d := newDispatcher(t, dispatch.Options{Outbox: out, Render: rend, Senders: []bot.Sender{s}, Clock: c})
	if n, err := d.Drain(context.Background()); err != nil || n != 1 {
		t.Fatalf("sent %d, %v; want the one outside quiet hours", n, err)
	}
	if r := out.row(quiet); r.sent || r.q.Attempts != 0 || !r.next.Equal(morning) {
		t.Errorf("quiet row %+v: want unsent, no attempt, due at the end of quiet hours", r)
	}
	c.Add(9*time.Hour - time.Second)
	if n, _ := d.Drain(context.Background()); n != 0 {
		t.Error("sent during quiet hours")
	}
	c.Add(time.Second)
	if n, err := d.Drain(context.Background()); err != nil || n != 1 {
		t.Errorf("at the end of quiet hours sent %d, %v", n, err)
	}
	if got := byID(s.deliveries()); got[quiet] != 1 || got[awake] != 1 {
		t.Errorf("deliveries %v", got)
	}
}

// directRecorder is a DingTalk-like sender that also sends one text to
// several people in one call.
type directRecorder struct{ *batchRecorder }

func (directRecorder) DirectBatch() int { return 20 }

// TestSameTextDMsGoTogetherInOrder: DMs with one text go in one call,
// while each person's later notice still comes after their earlier one,
// whichever worker sends it.
func TestSameTextDMsGoTogetherInOrder(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	var first []int64
	for _, p := range []string{"amy", "ben", "cy"} {
		first = append(first, out.add(notice("same/"+p, p, "dingtalk:"+p)))
	}
	later := out.add(notice("own/amy", "amy", "dingtalk:amy"))
	rend := func(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
		no, err := render(ctx, ws, n)
		if n.Key[:5] == "same/" {
			no.Reply.Body = "the same for all"
		}
		return no, err
	}
	s := directRecorder{&batchRecorder{sender: newSender(bot.DingTalk, c)}}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Render: rend, Senders: []bot.Sender{s}, Clock: c, Workers: 4,
		Limits: dispatch.Limits{}})
	if n, err := d.Drain(context.Background()); err != nil || n != 4 {
		t.Fatalf("sent %d, %v", n, err)
	}
	if len(s.batches) != 1 || !slices.Equal(s.batches[0], first) {
		t.Errorf("batches %v, want the three same-text DMs %v in one", s.batches, first)
	}
	var amy []int64
	for _, dl := range s.deliveries() {
		if dl.n.To == "amy" {
			amy = append(amy, dl.n.ID)
		}
	}
	if !slices.Equal(amy, []int64{first[0], later}) {
		t.Errorf("amy got %v, want %v in order", amy, []int64{first[0], later})
	}
}

// TestReplyNotHeldBehindAWave: an answer recorded while a wave of 200 DMs
// waits for the workspace's rate goes out at the next slot, not after
// the wave (the store claims replies first).
func TestReplyNotHeldBehindAWave(t *testing.T) {
	c := newClock()
	st := openStore(t, "", c)
	err := st.Apply(context.Background(), "acme", "", func(tx bot.Tx) error {
		for i := range 200 {
			no := notice(key(i), fmt.Sprintf("p%03d", i), fmt.Sprintf("slack:U%03d", i))
			no.At = t0
			if _, err := tx.Enqueue(context.Background(), no); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rend := func(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
		if n.Kind == bot.KindReply {
			return bot.Notification{Kind: n.Kind, Group: n.Channel, Reply: n.Replies[0], Replies: n.Replies}, nil
		}
		return render(ctx, ws, n)
	}
	s := newSender(bot.Slack, c)
	d := newDispatcher(t, dispatch.Options{Outbox: st, Render: rend, Senders: []bot.Sender{s}, Clock: c, Log: quietLog()})
	step := func() {
		c.Add(50 * time.Millisecond)
		if _, err := d.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for range 60 { // 3 s into the wave
		step()
	}
	asked := c.Now()
	m := bot.Message{Platform: bot.Slack, Workspace: "acme", Channel: "D0BEN", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0BEN"}, Text: "list"}
	err = st.Apply(context.Background(), "acme", "ev1", func(tx bot.Tx) error {
		_, err := tx.Enqueue(context.Background(), bot.ReplyNotice("ev1", m, []bot.Reply{{Body: "your list"}}, asked))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		step()
	}
	var answered time.Time
	waveSent := 0
	for _, dl := range s.deliveries() {
		if dl.n.Kind == bot.KindReply {
			answered = dl.at
		} else {
			waveSent++
		}
	}
	if answered.IsZero() {
		t.Errorf("the reply was not sent within a second; %d of the wave went meanwhile", waveSent)
	} else if answered.Sub(asked) > 500*time.Millisecond {
		t.Errorf("the reply went at +%s after it was recorded, want within a slot or two", answered.Sub(asked))
	}
	if waveSent >= 200 {
		t.Error("the wave was over: the test proves nothing")
	}
}
