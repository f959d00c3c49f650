package main

import (
	"os"
	"strings"
	"testing"
)

// TestTick evaluates the scheduler at an instant over the export fixture
// (COL-1 active since 2020-06-01, ben's T-1 due 2020-06-04): a dry run
// shows what is due and records nothing, the real run queues it, and a
// second run queues nothing (the scheduler's next-due index knows nothing
// is due before the next timer: it does not even look).
func TestTick(t *testing.T) {
	cfg, db := exportFixture(t)
	at := "2020-06-08T17:00:00+08:00" // a Monday
	cases := []struct {
		name  string
		args  []string
		wants []string
	}{
		// ben heads 研发部 and owns T-1, amy coordinates and heads the
		// requesting department, and nobody leads: the task's escalation,
		// which would only tell ben of himself, goes to nobody.
		{"dry run", []string{"--dry-run"}, []string{"(dry run: nothing recorded)", "→ @ben (DM) would queue: 📝 今日进度 2020-06-08",
			"→ @ben (DM) would queue: COL-1 · 🔴 任务逾期 T-1", "0 already recorded"}},
		// The shipped calendars do not reach back to 2020: the coordinator
		// hears of it, once.
		{"queues", nil, []string{"→ @ben (DM) queued: 📝 今日进度 2020-06-08", "→ @amy (DM) queued: COL-1 · 📊 每周进度",
			"→ @amy (DM) queued: 📅 节假日日历缺少 2020 年", "→ @ben (DM) queued: 📈 每周协作简报(2020-06-08 这一周)", "7 queued"}},
		{"twice changes nothing", nil, []string{"0 queued, 0 missed"}},
		{"a later dry run", []string{"--dry-run"}, []string{"0 would queue"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := exportCLIAs(t, "tick", db, append([]string{"--config", cfg, "--at", at}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range c.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "任务逾期上报") {
				t.Errorf("an escalation to the one reminded:\n%s", out)
			}
		})
	}
	code, _, errOut := exportCLIAs(t, "tick", db, "--config", cfg, "--at", "tomorrow")
	if code != 2 || !strings.Contains(errOut, "RFC 3339") {
		t.Errorf("a bad --at: exit %d, %q", code, errOut)
	}
}

// TestChatRunsTheScheduler: moving the chat's clock past a deadline
// prints the reminder with its recipient, once.
func TestChatRunsTheScheduler(t *testing.T) {
	db := t.TempDir() + "/c.db"
	script := ":as carol\n发起协作\n\"\"\"\n协作主题: 双十二活动支持\n协作背景与目标: 活动页面按时上线\n需协助部门: 研发部\n" +
		"具体需求描述: 接口与压测\n期望完成时间: 2026-12-10\n\"\"\"\n确认\n:clock 2026-11-24 10:00\n:clock 2026-11-24 10:05\n"
	stdin = strings.NewReader(script)
	defer func() { stdin = os.Stdin }()
	code, out, errOut := runCLI(t, map[string]string{"COLLABOT_DB": db}, "chat", "--now", "2026-11-23T10:00:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	const want = "→ @ben (DM): 【COL-1 · ⏰ 对接确认已到期】"
	if strings.Count(out, want) != 1 {
		t.Errorf("want %q once:\n%s", want, out)
	}
}
