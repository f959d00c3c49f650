package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/internal/testkit"
)

// TestServeSIGTERM sends SIGTERM to the real `collabot serve` while Slack
// events arrive over HTTP from several senders. serve stops taking new
// ones, finishes those in flight and exits 0; every event it answered 200
// is applied. A restarted serve then receives every event again, as Slack
// retries what it did not get a 200 for (and here also what it did): each
// is applied exactly once.
//
// Each event changes COL-1's daily progress time to a value of its own,
// which leaves one timeline entry per application, so a lost event and a
// doubled one both show.
func TestServeSIGTERM(t *testing.T) {
	bin := binary(t)
	slack := slackfake.New(t)
	db := t.TempDir() + "/c.db"
	seedCollab(t, db)
	const secret = "sigterm-test-secret"
	addr := testkit.FreeAddr(t)
	vars := []string{"COLLABOT_DB=" + db, "COLLABOT_HTTP_ADDR=" + addr, "COLLABOT_LOG_FORMAT=json",
		"COLLABOT_SLACK_BOT_TOKEN=" + slackfake.BotToken, "COLLABOT_SLACK_SIGNING_SECRET=" + secret,
		"COLLABOT_SLACK_API_URL=" + slack.URL()}

	const events = 150
	post := func(i int, retry bool) (int, error) {
		value := fmt.Sprintf("%02d:%02d", 9+i/60, i%60)
		body := mustMarshal(t, slackfake.MessageEvent(fmt.Sprintf("EvTERM%03d", i), "D0CAROL", "U0CAROL",
			"remind COL-1 daily_progress "+value, nil))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackfake.Sign(secret, ts, body))
		if retry {
			req.Header.Set("X-Slack-Retry-Num", "1")
			req.Header.Set("X-Slack-Retry-Reason", "http_error")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}

	// First run: four senders, SIGTERM once 40 events were answered.
	first := testkit.Serve(t, bin, addr, vars)
	var acked sync.Map
	var answered atomic.Int32
	var next atomic.Int32
	var wg sync.WaitGroup
	termed := make(chan struct{})
	var once sync.Once
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= events {
					return
				}
				code, err := post(i, false)
				if err == nil && code == http.StatusOK {
					acked.Store(i, true)
					if answered.Add(1) == 40 {
						once.Do(func() { first.Term(t); close(termed) })
					}
				}
			}
		}()
	}
	wg.Wait()
	<-termed
	if code := first.Wait(t); code != 0 {
		t.Fatalf("serve exited %d after SIGTERM, want 0:\n%s", code, first.Log.String())
	}
	var ok []int
	acked.Range(func(k, _ any) bool { ok = append(ok, k.(int)); return true })
	if len(ok) < 40 || len(ok) == events {
		t.Fatalf("%d of %d events answered 200; want the shutdown to land mid-stream", len(ok), events)
	}
	applied := timelineValues(t, db)
	for _, i := range ok {
		if n := applied[value(i)]; n != 1 {
			t.Errorf("event %d was answered 200 but applied %d times before the restart", i, n)
		}
	}
	if !strings.Contains(first.Log.String(), "collabot stopped") {
		t.Errorf("serve did not log a clean stop:\n%s", first.Log.String())
	}

	// Second run: Slack retries everything.
	second := testkit.Serve(t, bin, addr, vars)
	for i := range events {
		code, err := post(i, true)
		if err != nil || code != http.StatusOK {
			t.Fatalf("retry of event %d: %d, %v", i, code, err)
		}
	}
	second.Term(t)
	if code := second.Wait(t); code != 0 {
		t.Fatalf("second serve exited %d:\n%s", code, second.Log.String())
	}
	applied = timelineValues(t, db)
	for i := range events {
		if n := applied[value(i)]; n != 1 {
			t.Errorf("event %d applied %d times after the retries, want once", i, n)
		}
	}
	t.Logf("%d of %d events answered before SIGTERM; all %d applied once after the restart", len(ok), events, events)
}

func value(i int) string { return fmt.Sprintf("%02d:%02d", 9+i/60, i%60) }

// seedCollab files COL-1 as carol through the terminal chat, so that
// carol may change its reminders.
func seedCollab(t *testing.T, db string) {
	t.Helper()
	stdin = strings.NewReader(":as carol\n发起协作\n\"\"\"\n协作主题: 双十二活动支持\n协作背景与目标: 活动页面按时上线\n需协助部门: 研发部\n" +
		"具体需求描述: 接口与压测\n期望完成时间: 2026-12-10\n\"\"\"\n确认\n")
	defer func() { stdin = os.Stdin }()
	if code, out, errOut := runCLI(t, map[string]string{"COLLABOT_DB": db}, "chat", "--now", "2026-11-23T10:00:00+08:00"); code != 0 || !strings.Contains(out, "COL-1") {
		t.Fatalf("seeding COL-1: exit %d\n%s\n%s", code, out, errOut)
	}
}

// timelineValues counts COL-1's reminder_changed entries by value.
func timelineValues(t *testing.T, db string) map[string]int { return testkit.ReminderChanges(t, db) }

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
