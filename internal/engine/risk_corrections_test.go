package engine_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// highRisk is ben's high-severity risk R-1 on COL-1, raised by amy (the
// coordinator): lily and henry, leadership, are told of it.
func highRisk(t *testing.T) *harness {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n\"\"\"\n风险 上报 COL-1\n问题描述: 测试环境宕机\n影响范围: 联调\n影响程度: 高\n责任部门: 研发部\n责任人: @ben\n\"\"\"\n确认\n")
	mustContain(t, out, "→ @lily (DM): 【COL-1 · 🚨 高影响风险上报 R-1】")
	return h
}

// TestLeadershipHearsARiskStandDown: leadership, told of a high-severity
// risk, is told once when it is lowered below high or resolved — what
// changed, by whom, why — and a severity change takes a reason, traced.
func TestLeadershipHearsARiskStandDown(t *testing.T) {
	tests := []struct {
		name, script string
		want         []string // in lily's notice (she reads Chinese), henry's (English)
		lily         []string
		show         string // the record's trace
	}{
		{"lowered", ":as amy\nrisk R-1 severity low vendor restored the sandbox\n",
			[]string{"Risk downgraded R-1: high → low", "lowered to low severity by 王芳 Amy", "Reason: vendor restored the sandbox"},
			[]string{"风险降级 R-1:高 → 低", "已由 王芳 Amy 调整为低影响", "原因:vendor restored the sandbox"},
			"Severity: high → low, Reason: vendor restored the sandbox"},
		{"lowered in Chinese", ":as ben\n风险 R-1 影响程度 中 已切到备用环境\n",
			[]string{"Risk downgraded R-1: high → medium", "by 陈斌 Ben", "Reason: 已切到备用环境"},
			[]string{"风险降级 R-1:高 → 中", "原因:已切到备用环境"},
			"Severity: high → medium, Reason: 已切到备用环境"},
		{"resolved", ":as ben\nrisk R-1 resolve switched to the spare sandbox\n",
			[]string{"High-severity risk resolved R-1", "was resolved by 陈斌 Ben", "Resolution: switched to the spare sandbox"},
			[]string{"高影响风险已解决 R-1", "已由 陈斌 Ben 解决", "解决情况:switched to the spare sandbox"},
			"switched to the spare sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := highRisk(t)
			out := h.chat(tt.script)
			mustContain(t, section(out, "→ @henry"), tt.want...)
			mustContain(t, section(out, "→ @lily"), tt.lily...)
			if n := strings.Count(out, "→ @lily"); n != 1 {
				t.Errorf("lily told %d times:\n%s", n, out)
			}
			mustContain(t, h.chat(":as amy\n:lang en\nshow COL-1\n"), tt.show)
			// Once told, leadership hears no more of it.
			out = h.chat(":as ben\nrisk R-1 resolve done\n")
			mustLack(t, out, "→ @lily", "→ @henry")
		})
	}
}

// TestSeverityChangeAsksItsReason: a severity change without a reason is
// refused the way a date move without one is, and changes nothing.
func TestSeverityChangeAsksItsReason(t *testing.T) {
	h := highRisk(t)
	for _, cmd := range []string{":as ben\n:lang en\nrisk R-1 severity low\n", ":as ben\n:lang zh\n风险 R-1 影响程度 低\n"} {
		out := h.chat(cmd)
		mustContain(t, out, "⚠️")
		mustLack(t, out, "→ @lily", "✅")
		if !strings.Contains(out, "Say why the severity changes: `risk R-1 severity low <reason>`") &&
			!strings.Contains(out, "请说明调整原因:`风险 R-1 影响程度 低 <原因>`") {
			t.Errorf("the refusal does not ask for the reason:\n%s", out)
		}
	}
	if r, _ := h.collab(1).Risk(1); r.Severity != bot.SeverityHigh {
		t.Errorf("severity = %s", r.Severity)
	}
}

// TestRiskCorrections: a risk's owner, department, expected date and
// description are corrected by its reporter, owner or coordinator, each
// traced before → after; a new owner is told it is theirs with the
// time to respond, the former owner that it is not.
func TestRiskCorrections(t *testing.T) {
	h := highRisk(t)
	out := h.chat(":as amy\n:lang en\nrisk R-1 owner @david\n")
	mustContain(t, out, "✅ David Miller now owns R-1 and must respond within 9 business hours")
	mustContain(t, section(out, "→ @david"), "You now own R-1", "made you the owner of R-1, in place of 陈斌 Ben", "Please respond by 2026-11-24 10:00")
	mustContain(t, section(out, "→ @ben"), "风险已转交 R-1", "你不再是责任人")

	for _, tc := range []struct{ who, cmd, want string }{
		{"amy", "风险 R-1 责任人 @nobody-here", "nobody-here"},
		{"amy", "risk R-1 dept nowhere", "nowhere"},
		{"amy", "risk R-1 dept 运营部", "is not part of COL-1"},
		{"ben", "risk R-1 describe x", "只有 R-1 的责任人、提出人或总协调人可以更正它"}, // no longer its owner
		{"fiona", "风险 R-1 责任人 @fiona", "只有 R-1 的责任人、提出人或总协调人可以更正它"},
	} {
		out := h.chat(":as " + tc.who + "\n" + tc.cmd + "\n")
		mustContain(t, out, "⚠️", tc.want)
		mustLack(t, out, "✅")
	}

	out = h.chat(":as david\n:lang zh\n风险 R-1 责任部门 财务部\n风险 R-1 期望解决时间 2026-11-30 等供应商\n风险 R-1 描述 测试环境每天宕机\n")
	mustContain(t, out, "✅ R-1 的责任部门改为财务部", "✅ R-1 的期望解决时间改为 2026-11-30 18:00", "✅ 已更正 R-1")
	mustContain(t, section(out, "→ @amy"), "Risk corrected R-1", "Department: 财务部")
	show := h.chat(":as amy\n:lang en\nshow COL-1\n")
	mustContain(t, show, "Owner: 陈斌 Ben → David Miller", "Department: 研发部 → 财务部",
		"Resolve by: — → 2026-11-30 18:00, Reason: 等供应商", "Description: 测试环境宕机 → 测试环境每天宕机")
}

// TestRiskResponseChaseFollowsTheNewOwner: the response chase counts
// from the handover and goes to the new owner.
func TestRiskResponseChaseFollowsTheNewOwner(t *testing.T) {
	h := highRisk(t) // raised Monday 10:00: ben would be chased Tuesday 10:00
	h.at("2026-11-23 16:00")
	h.chat(":as amy\nrisk R-1 owner @david\n")
	h.sent = nil
	h.at("2026-11-24 10:30")
	for _, n := range h.sent {
		if n.Kind == "risk_reminder" {
			t.Errorf("chased before the new owner's time was up: %+v", n)
		}
	}
	h.at("2026-11-24 16:30")
	var to []string
	for _, n := range h.sent {
		if n.Kind == "risk_reminder" {
			to = append(to, n.Recipient())
		}
	}
	if !strings.Contains(strings.Join(to, " "), "@david") || strings.Contains(strings.Join(to, " "), "@ben") {
		t.Errorf("risk reminders went to %v", to)
	}
}

// TestReopenRisk: a resolved risk that is not fixed is reopened with a
// reason by its owner, reporter or coordinator: traced, the owner and
// coordinator told, back on the board as open; "already resolved" says
// how.
func TestReopenRisk(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as amy\n\"\"\"\n风险 上报 COL-1\n问题描述: 测试环境不稳定\n影响范围: 联调\n影响程度: 中\n责任部门: 研发部\n\"\"\"\n确认\n" +
		":as ben\n风险 R-1 解决 已重启\n")
	out := h.chat(":as ben\n:lang en\nrisk R-1 resolve again\n:lang zh\n风险 R-1 响应\n")
	mustContain(t, out, "R-1 is already resolved. If it is not fixed after all, reopen it: `risk R-1 reopen <reason>`.",
		"R-1 已解决。若问题并未解决,可重新打开:`风险 R-1 重新打开 <原因>`。")
	out = h.chat(":as fiona\n风险 R-1 重新打开 还是不稳定\n:as amy\n风险 R-1 重新打开\n")
	mustContain(t, out, "只有 R-1 的责任人、提出人或总协调人可以重新打开它", "请填写")
	out = h.chat(":as amy\n风险 R-1 重新打开 重启后仍然每小时宕机\n")
	mustContain(t, out, "✅ 已重新打开 R-1,责任人 陈斌 Ben 需在 9 个工作小时内重新响应")
	mustContain(t, section(out, "→ @ben"), "风险重新打开 R-1", "原因:重启后仍然每小时宕机", "2026-11-24 10:00")
	if r, _ := h.collab(1).Risk(1); r.Status != bot.RiskOpen || r.Resolution != "" {
		t.Errorf("risk = %+v", r)
	}
	mustContain(t, h.chat(":as amy\n:lang en\nshow COL-1\n"), "reopened the risk R-1: 重启后仍然每小时宕机", "测试环境不稳定 · open")
	out = h.chat(":as amy\n:lang zh\n风险 R-1 重新打开 再次\n")
	mustContain(t, out, "R-1 尚未解决")
}
