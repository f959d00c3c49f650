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
	mustContain(t, h.chat(":as bob\n共识函 COL-1 签署 研发部\n"), "研发部已于 2026-11-23 22:05 答复过共识函")
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
