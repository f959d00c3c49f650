package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// steps cuts a chat transcript at each ":clock" move: what the bot printed
// once the clock reached each instant.
func steps(out string) map[string]string {
	m := map[string]string{}
	at := "start"
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "— the clock is now "); ok {
			at = rest[:len("2006-01-02 15:04")]
			continue
		}
		m[at] += line + "\n"
	}
	return m
}

const holidayRequest = `"""
发起协作
协作主题: 清明后上线
协作背景与目标: 假期后上线活动页
需协助部门: 研发部
具体需求描述: 活动页面开发
期望完成时间: 2026-04-30
"""
确认
`

// TestRemindersWaitForWorkingHours: a request approved at 22:00 on the
// Friday before 清明 (Saturday to Monday off) is due for acknowledgement
// one business day later, Tuesday 22:00; its reminder reaches the contact
// at 09:00 on Wednesday, not at night, and nothing goes out over the
// holiday or the weekend. On 2026-10-10, a 调休 Saturday, reminders go out
// as on any working day.
func TestRemindersWaitForWorkingHours(t *testing.T) {
	script := holidayRequest + ":clock 2026-04-03 22:00\n:as alice\n初审 COL-1 通过\n"
	for _, at := range []string{"2026-04-04 10:00", "2026-04-05 10:00", "2026-04-06 10:00", "2026-04-07 10:00",
		"2026-04-07 22:00", "2026-04-08 08:59", "2026-04-08 09:00", "2026-04-08 12:00"} {
		script += ":clock " + at + "\n"
	}
	out := sessionAt(t, filepath.Join(t.TempDir(), "collabot.db"), "zh-CN", "2026-04-03T21:50:00+08:00", script)
	got := steps(out)
	for at, printed := range got {
		reminded := strings.Contains(printed, "对接确认已到期")
		if want := at == "2026-04-08 09:00"; reminded != want {
			t.Errorf("at %s: reminder sent = %v, want %v:\n%s", at, reminded, want, printed)
		}
		if at == "2026-04-07 10:00" {
			// The weekly digest goes on the first business day of the week
			// when Monday is a holiday; nothing else goes out.
			if !strings.Contains(printed, "→ @bob (DM): 【📈 每周协作简报(2026-04-06 这一周)】") {
				t.Errorf("no weekly digest to bob on Tuesday after 清明:\n%s", printed)
			}
			var rest []string
			for _, line := range strings.Split(printed, "\n") {
				if !strings.Contains(line, "【📈 每周协作简报") && !strings.Contains(line, "【📈 Weekly digest") {
					rest = append(rest, line)
				}
			}
			printed = strings.Join(rest, "\n")
		}
		if at != "start" && at != "2026-04-03 22:00" && at != "2026-04-08 09:00" && at != "2026-04-08 12:00" && strings.Contains(printed, "→ @") {
			t.Errorf("something was sent at %s:\n%s", at, printed)
		}
	}
	if !strings.Contains(got["2026-04-08 09:00"], "→ @ben (DM): 【COL-1 · ⏰ 对接确认已到期】") {
		t.Errorf("ben's reminder at 09:00:\n%s", got["2026-04-08 09:00"])
	}

	script = holidayRequest + ":clock 2026-10-09 15:00\n:as alice\n初审 COL-1 通过\n:clock 2026-10-10 15:01\n"
	out = sessionAt(t, filepath.Join(t.TempDir(), "collabot.db"), "zh-CN", "2026-10-09T14:50:00+08:00",
		strings.Replace(script, "2026-04-30", "2026-10-30", 1))
	if !strings.Contains(steps(out)["2026-10-10 15:01"], "→ @ben (DM): 【COL-1 · ⏰ 对接确认已到期】") {
		t.Errorf("no reminder on the 调休 Saturday:\n%s", out)
	}
}
