package dingtalk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// toPerson is a notification for ben, on DingTalk.
func toPerson(id int64, body string) bot.Notification {
	return bot.Notification{ID: id, To: "ben", Accounts: []bot.Identity{{Platform: bot.DingTalk, ID: ben.StaffID}},
		Lang: bot.Chinese, Kind: "task_assigned", Reply: bot.Reply{Title: "COL-1 · 新任务", Body: body,
			Buttons: []bot.Button{{Label: "开始 Start", Command: "task T-1 start"}}}}
}

// toGroup is a notification for the launch group.
func toGroup(id int64, body string) bot.Notification {
	return bot.Notification{ID: id, Group: "dingtalk:" + launch.ID, Lang: bot.Chinese, Kind: "progress_request",
		Reply: bot.Reply{Title: "COL-1 · 请提交进度", Body: body}}
}

// TestAccessToken: one token for 50 concurrent sends; a new one once it
// is about to expire, and once DingTalk calls it invalid.
func TestAccessToken(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- e.ad.Send(context.Background(), toPerson(int64(i), fmt.Sprintf("任务 %d", i)))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.fake.TokenCalls(); n != 1 {
		t.Errorf("%d access tokens for 50 concurrent sends", n)
	}
	if n := len(dingtest.SentTo(e.fake.Sent(), ben.StaffID)); n != 50 {
		t.Errorf("%d of 50 messages sent", n)
	}

	e.clock.Advance(2 * time.Hour) // past expireIn
	if err := e.ad.Send(t.Context(), toPerson(51, "过期之后")); err != nil {
		t.Fatal(err)
	}
	e.fake.RevokeTokens()
	if err := e.ad.Send(t.Context(), toPerson(52, "吊销之后")); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.TokenCalls(); n != 3 {
		t.Errorf("%d access tokens after an expiry and a revocation, want 3", n)
	}
}

// TestThrottled: every kind of flow-control answer is a *bot.Throttled
// with DingTalk's delay; nothing is sent then, and the retry sends once.
func TestThrottled(t *testing.T) {
	cases := []struct {
		name, as string
		n        bot.Notification
		after    time.Duration
	}{
		{"HTTP 429 with Retry-After", "429", toGroup(1, "进度"), 7 * time.Second},
		{"QPS limit code", "qps", toGroup(1, "进度"), 2 * time.Second},
		{"flow-controlled recipient", "flow", toPerson(1, "任务"), time.Minute},
		{"QPS limit on a 1:1 message", "qps", toPerson(1, "任务"), 2 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Throttle(1, c.as)
			err := e.ad.Send(t.Context(), c.n)
			var th *bot.Throttled
			if !errors.As(err, &th) || th.After != c.after {
				t.Fatalf("Send: %v, want throttled for %v", err, c.after)
			}
			if len(e.fake.Sent()) != 0 {
				t.Fatalf("a throttled message was recorded: %+v", e.fake.Sent())
			}
			if err := e.ad.Send(t.Context(), c.n); err != nil {
				t.Fatal(err)
			}
			if n := len(e.fake.Sent()); n != 1 {
				t.Errorf("%d messages after the retry", n)
			}
		})
	}
}

func TestUndeliverable(t *testing.T) {
	e := newEnv(t)
	cases := []bot.Notification{
		{ID: 1, To: "mike", Accounts: []bot.Identity{{Platform: bot.Slack, ID: "U0MIKE"}}, Reply: bot.Reply{Body: "x"}},
		{ID: 2, Group: "slack:C0123", Reply: bot.Reply{Body: "x"}},
		{ID: 3, Reply: bot.Reply{Body: "x"}},
	}
	for _, n := range cases {
		if err := e.ad.Send(t.Context(), n); !errors.Is(err, bot.ErrUndeliverable) {
			t.Errorf("notification %d: %v, want undeliverable", n.ID, err)
		}
	}
}

// TestSendBatchMerges: 100 reminders to one group become a few messages,
// each reminder in exactly one.
func TestSendBatchMerges(t *testing.T) {
	e := newEnv(t)
	var ns []bot.Notification
	for i := range 100 {
		ns = append(ns, toGroup(int64(i), fmt.Sprintf("**任务 T-%d** 今日进度未提交,负责人 陈斌 Ben,截止 2026-12-10。请回复 `进度 COL-1`。", i)))
	}
	if err := e.ad.SendBatch(t.Context(), ns); err != nil {
		t.Fatal(err)
	}
	sent := e.fake.Sent()
	if len(sent) == 0 || len(sent) > 3 {
		t.Fatalf("100 reminders sent as %d messages", len(sent))
	}
	all := texts(sent)
	for i := range 100 {
		if n := strings.Count(all, fmt.Sprintf("任务 T-%d**", i)); n != 1 {
			t.Errorf("T-%d appears %d times", i, n)
		}
	}
	t.Logf("100 reminders in %d messages, the longest %d bytes", len(sent), longest(sent))
}

func longest(msgs []dingtest.Message) int {
	n := 0
	for _, m := range msgs {
		n = max(n, len(m.Text))
	}
	return n
}

// TestSendBatchPartial: a throttled group is reported with what was sent,
// and sending the rest again delivers everything exactly once.
func TestSendBatchPartial(t *testing.T) {
	e := newEnv(t)
	var ns []bot.Notification
	for i := range 3 {
		ns = append(ns, toGroup(int64(i), fmt.Sprintf("群提醒 %d", i)))
	}
	for i := range 25 {
		ns = append(ns, bot.Notification{ID: int64(100 + i), To: bot.PersonID(fmt.Sprint("p", i)),
			Accounts: []bot.Identity{{Platform: bot.DingTalk, ID: fmt.Sprintf("staff9%03d", i)}}, Lang: bot.Chinese,
			Reply: bot.Reply{Title: "会议邀请 M-1", Body: "明天 10:00 启动会"}})
	}
	e.fake.Throttle(1, "qps") // the group's message, sent first
	err := e.ad.SendBatch(t.Context(), ns)
	var be *dingtalk.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("SendBatch: %v, want a *BatchError", err)
	}
	if after, ok := bot.RetryAfter(err); !ok || after != 2*time.Second {
		t.Errorf("RetryAfter = %v, %v", after, ok)
	}
	if len(be.Failed) != 3 || len(be.DeliveredIDs()) != 25 {
		t.Fatalf("failed %v, delivered %v", be.Failed, be.Delivered)
	}
	oto := 0
	for _, m := range e.fake.Sent() {
		if m.Via == "oto" {
			oto++
			if len(m.Users) > 20 {
				t.Errorf("a batchSend to %d users", len(m.Users))
			}
		}
	}
	if oto != 2 {
		t.Errorf("25 identical invitations in %d batchSends, want 2", oto)
	}
	if err := e.ad.SendBatch(t.Context(), ns[:3]); err != nil {
		t.Fatal(err)
	}
	all := texts(e.fake.Sent())
	for i := range 3 {
		if n := strings.Count(all, fmt.Sprintf("群提醒 %d", i)); n != 1 {
			t.Errorf("reminder %d sent %d times", i, n)
		}
	}
}
