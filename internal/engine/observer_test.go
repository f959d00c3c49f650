package engine_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/collabot/collabot/bot"
)

// countingObserver counts what the engine reports.
type countingObserver struct {
	mu         sync.Mutex
	steps      map[string]int
	duplicates map[bot.Platform]int
}

func (o *countingObserver) Duplicate(p bot.Platform) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.duplicates[p]++
}

func (o *countingObserver) DialogStep(form string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.steps[form]++
}

// TestObserverHearsStepsAndDuplicates: each answer to a form's question
// is a dialog step (a skip too), steering words are not; a redelivered
// event is reported as a duplicate once.
func TestObserverHearsStepsAndDuplicates(t *testing.T) {
	h := newHarness(t)
	obs := &countingObserver{steps: map[string]int{}, duplicates: map[bot.Platform]int{}}
	h.eng.Observer = obs
	h.chat("发起协作\n新品推广接口调试\n上一步\n新品推广接口调试\nQ4 新品上线\n取消\n")
	if got := obs.steps["request"]; got != 3 {
		t.Errorf("request steps = %d, want 3 (two topics and a goal; back and cancel are not answers)", got)
	}

	m := bot.Message{Workspace: h.ws, Platform: bot.Slack, EventID: "EvObs1", Channel: "D0AMY", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0AMY"}, Text: "帮助"}
	for range 3 {
		if _, err := h.eng.Handle(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if got := obs.duplicates[bot.Slack]; got != 2 {
		t.Errorf("duplicates = %d, want 2 of the 3 deliveries", got)
	}
}

// TestPrefixedAnswerToAnOpenForm: "/collab <answer>" while a form is open
// answers it without the prefix, as Slack users type in a channel.
func TestPrefixedAnswerToAnOpenForm(t *testing.T) {
	h := newHarness(t)
	out := h.chat(strings.Join([]string{"发起协作", "/collab 新品推广接口调试", "Q4 新品上线", "研发部", "跳过",
		"完成产品接口调试", "测试报告", "用例全部通过", "2026-12-18", "跳过", "跳过", "跳过", "跳过", "确认", ""}, "\n"))
	if !strings.Contains(out, "COL-1") {
		t.Fatalf("the request was not filed:\n%s", out)
	}
	if got := h.collab(1).Request.Topic; got != "新品推广接口调试" {
		t.Errorf("topic = %q, want it without the prefix", got)
	}
}
