package engine_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// twoRequests has carol (head of 运营部, so no first review) file COL-1,
// asking 研发部 and 财务部, and COL-2, asking 研发部, in the same group:
// COL-2 is the group's newest.
func (h *harness) twoRequests() {
	h.t.Helper()
	paste := func(topic, depts string) string {
		return "发起协作\n\"\"\"\n协作主题: " + topic + "\n协作背景与目标: Q4 新品上线\n需协助部门: " + depts +
			"\n具体需求描述: 完成产品接口调试\n交付物: 测试报告\n交付标准: 用例全部通过\n期望完成时间: 2026-12-18\n\"\"\"\n确认\n"
	}
	out := h.chat(":as carol\n" + paste("接口A", "研发部、财务部") + paste("接口B", "研发部"))
	for _, id := range []bot.CollabID{1, 2} {
		if c := h.collab(id); c.Status != bot.StatusAwaitingAck {
			h.t.Fatalf("%s: %s\n%s", id, c.Status, out)
		}
	}
}

// TestMistypedReferenceIsRefused: a reference that does not parse, or
// names a task, meeting or risk where a collaboration goes, is refused by
// name; no command falls back to the group's newest collaboration (COL-2)
// and acts on it.
func TestMistypedReferenceIsRefused(t *testing.T) {
	h := newHarness(t)
	h.twoRequests()
	for _, tt := range []struct{ as, line, want string }{
		{"ben", "确认 COL-l 承接", "⚠️ “COL-l”不是有效的编号,示例:COL-3"},
		{"ben", "确认 COL-0 承接", "⚠️ “COL-0”不是有效的编号"},
		{"ben", "确认 COL--1 承接", "⚠️ “COL--1”不是有效的编号"},
		{"ben", "确认 COL-١ 承接", "⚠️ “COL-١”不是有效的编号"},
		{"ben", "确认 研发部 COL-l 承接", "⚠️ “COL-l”不是有效的编号"},
		{"ben", "确认 T-1 承接", "⚠️ “T-1”是任务编号,这里需要协作编号,例如 COL-3。"},
		{"ben", "确认 R-1 承接", "⚠️ “R-1”是风险编号,这里需要协作编号,例如 COL-3。"},
		{"alice", "初审 COL-1.5 通过", "⚠️ “COL-1.5”不是有效的编号"},
		{"alice", "初审 COL1.5 通过", "⚠️ “COL1.5”不是有效的编号"},
		{"alice", "初审 T-2 通过", "⚠️ “T-2”是任务编号"},
		{"carol", "补充 COL-l 研发部 接口文档已发", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "撤销 COL-l 不做了", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "归档 COL-l", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "修改 COL-l", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "任务 新建 COL-l", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "风险 上报 COL-l", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "提醒 COL-l off", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "进度 COL-l", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "提交成果 COL-l", "⚠️ “COL-l”不是有效的编号"},
		{"carol", "验收 T-1 通过", "⚠️ “T-1”是任务编号"},
		{"carol", "看板 M-1", "⚠️ “M-1”是会议编号"},
		{"carol", ":dm\n进度 COL-l", "⚠️ “COL-l”不是有效的编号"},
		// Words that only start like a reference are not one.
		{"carol", "风险 上报 M2M", "【"},
		// A task's or meeting's own commands still take their identifiers.
		{"ben", "任务 T-1 完成", "⚠️ 找不到 T-1"},
		{"ben", ":lang en\nack COL-l accept", "⚠️ “COL-l” is not a valid identifier; for example COL-3"},
		{"ben", "ack T-1 accept", "⚠️ “T-1” is a task identifier; this needs a collaboration one, for example COL-3."},
		{"ben", "review COL-0 approve", "⚠️ “COL-0” is not a valid identifier"},
		{"ben", ":lang zh", ""},
	} {
		out := h.chat(":as " + tt.as + "\n" + tt.line + "\n")
		mustContain(t, out, tt.want)
		mustLack(t, out, "已承接", "accepted", "对接确认 ·", "Acknowledgement ·")
		if strings.HasPrefix(tt.line, "风险") {
			h.chat(":as carol\n取消\n") // the risk form it opened
		}
		h.chat(":group\n")
	}
	for _, id := range []bot.CollabID{1, 2} {
		for _, a := range h.collab(id).Acks {
			if a.Status != bot.AckPending {
				t.Errorf("%s %s: %s, want it untouched", id, a.Department, a.Status)
			}
		}
		if c := h.collab(id); c.Status != bot.StatusAwaitingAck {
			t.Errorf("%s: %s, want it untouched", id, c.Status)
		}
	}
}

// TestAckQuestionNamesTheCollaboration: every question of the form says
// which collaboration and department it is about.
func TestAckQuestionNamesTheCollaboration(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	mustContain(t, h.chat(":as ben\n确认 COL-1\n"), "【对接确认 · COL-1 研发部 · 确认结果】")
	mustContain(t, h.chat(":as ben\n承接\n"), "【对接确认 · COL-1 研发部 · 承接范围】")
	mustContain(t, h.chat(":as fiona\n:lang en\nack COL-1\n"), "COL-1 财务部 · ")
}

// TestSignedDepartmentHearsWhenInLocalTime: a signature given is dated in
// the workspace's time.
func TestSignedDepartmentHearsWhenInLocalTime(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.at("2026-11-23 22:05")
	mustContain(t, h.chat(":as bob\n共识函 COL-1 签署\n"), "✅ 已代表研发部签署 COL-1 的合作目标共识函")
	mustContain(t, h.chat(":as bob\n共识函 COL-1 签署 研发部\n"), "李强 Bob 已于 2026-11-23 22:05 代表研发部签署 COL-1 的合作目标共识函")
}

// TestAnsweredAtInLocalTime: the time of an answer already given reads as
// Shanghai's clock, not UTC's.
func TestAnsweredAtInLocalTime(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.at("2026-11-23 21:55")
	h.chat(":as ben\n确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n")
	out := h.chat(":as ben\n确认 COL-1 研发部 承接\n:lang en\nack COL-1 研发部 accept\n")
	mustContain(t, out, "⚠️ 研发部 已于 2026-11-23 21:55 答复(已承接)", "⚠️ 研发部 already answered on 2026-11-23 21:55 (accepted)")
	mustLack(t, out, "13:55")
}

// TestAnsweredDepartmentHearsWhen: a contact who answered already is told
// when, in the workspace's time (Shanghai, not UTC), whether or not he
// names the department; a decline says who can have it asked again.
func TestAnsweredDepartmentHearsWhen(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.at("2026-11-23 21:55")
	mustContain(t, h.chat(":as ben\n确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n"), "✅ 研发部 已承接 COL-1")
	mustContain(t, h.chat(":as fiona\n确认 COL-1 无法承接\n没人\n找外包\n确认\n"), "财务部 无法承接 COL-1")
	h.at("2026-11-24 09:30")
	for _, tt := range []struct{ as, line, want string }{
		{"ben", "确认 COL-1 承接", "⚠️ 研发部 已于 2026-11-23 21:55 答复(已承接)。如情况变化,请登记风险。"},
		{"ben", "确认 COL-1 无法承接 没人 找外包", "⚠️ 研发部 已于 2026-11-23 21:55 答复(已承接)"},
		{"ben", "确认 COL-1 研发部 承接", "⚠️ 研发部 已于 2026-11-23 21:55 答复(已承接)"},
		{"ben", ":lang en\nack COL-1 accept", "⚠️ 研发部 already answered on 2026-11-23 21:55 (accepted). If things changed, raise a risk."},
		{"ben", ":lang zh", ""},
		{"fiona", "确认 COL-1 需补充信息", "⚠️ 财务部 已于 2026-11-23 21:55 答复(无法承接)。如果是误操作,你仍可承接:`确认 COL-1 承接`。"},
		{"fiona", ":lang en\nack COL-1 info", "⚠️ 财务部 already answered on 2026-11-23 21:55 (declined). If the decline was a mistake, you can still accept: `ack COL-1 accept`."},
		{"fiona", ":lang zh", ""},
		{"frank", "确认 COL-1 财务部 承接", "⚠️ 财务部 已于 2026-11-23 21:55 答复(无法承接)。要改变答复,请需求发起人 王芳 Amy 重新请财务部确认:`对接人 COL-1 财务部 @某人` 指定对接人(再次指定同一人即可)"},
		{"frank", ":lang en\nack COL-1 财务部 accept", "⚠️ 财务部 already answered on 2026-11-23 21:55 (declined). To change the answer, ask the requester, 王芳 Amy, to ask 财务部 again"},
		{"frank", ":lang zh", ""},
	} {
		out := h.chat(":as " + tt.as + "\n" + tt.line + "\n")
		mustContain(t, out, tt.want)
		mustLack(t, out, "你不是", "You are not", "13:55")
	}
	// What the refusal advises works: an edit asks 财务部 again.
	mustContain(t, h.chat(":as amy\n修改 COL-1\n修改 期望完成时间\n2026-12-21\n确认\n"), "→ @fiona")
	if a, _ := h.collab(1).Ack("财务部"); a.Status != bot.AckPending {
		t.Errorf("财务部 after the edit: %s", a.Status)
	}
}

// TestAckWhileInFirstReview: before first review passes, a contact hears
// that it is still there and who reviews it.
func TestAckWhileInFirstReview(t *testing.T) {
	h := newHarness(t)
	h.chat(":as amy\n发起协作\n" + pastedRequest + "确认\n")
	for _, tt := range []struct{ line, want string }{
		{"确认 COL-1 承接", "⚠️ COL-1 仍在初审,由市场部负责人 张丽 Alice 审核;初审通过后才会请各部门确认。"},
		{"确认 COL-1 研发部 承接", "⚠️ COL-1 仍在初审,由市场部负责人 张丽 Alice 审核"},
		{":lang en\nack COL-1 accept", "⚠️ COL-1 is still in first review by 张丽 Alice, head of 市场部; departments are asked once it passes."},
	} {
		out := h.chat(":as ben\n" + tt.line + "\n")
		mustContain(t, out, tt.want)
		mustLack(t, out, "没有等待答复", "no department waiting", "不是 COL-1 的需协助部门")
	}
}

// TestWaitingDepartmentsInTheReadersStyle: the departments a refusal
// lists are written as the reader's language writes a list.
func TestWaitingDepartmentsInTheReadersStyle(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	mustContain(t, h.chat(":as gary\n确认 COL-1 承接\n"), "待确认:研发部(陈斌 Ben)、财务部(周婷 Fiona)")
	out := h.chat(":as gary\n:lang en\nack COL-1 accept\n")
	mustContain(t, out, "Waiting: 研发部 (陈斌 Ben), 财务部 (周婷 Fiona)")
	mustLack(t, out, "（陈斌", "、")
}
