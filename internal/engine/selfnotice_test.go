package engine_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestNobodyIsToldOfTheirOwnAction plays a whole collaboration in which
// people often act on what concerns them (the coordinator owns a task,
// raises and escalates a risk, confirms minutes, delivers and accepts),
// and checks that no direct message goes to the person who typed the
// message that caused it: their reply already said it.
func TestNobodyIsToldOfTheirOwnAction(t *testing.T) {
	h := newHarness(t)
	out := h.chat(wholeCollaboration)
	if !strings.Contains(out, "已归档") {
		t.Fatalf("the collaboration did not reach its end:\n%s", out)
	}
	speaker, dms := "amy", 0
	for _, line := range strings.Split(out, "\n") {
		if who, ok := strings.CutPrefix(line, "— now speaking as @"); ok {
			speaker = who
			continue
		}
		if rest, ok := strings.CutPrefix(line, "→ @"); ok {
			dms++
			to, _, _ := strings.Cut(rest, " ")
			if to == speaker {
				t.Errorf("%s was told of their own action: %s", speaker, line)
			}
		}
	}
	if dms < 20 {
		t.Errorf("only %d direct messages: the script did not exercise the notices", dms)
	}
}

// TestTranscriptHasNoEncoding plays the whole collaboration and reads
// every line the terminal printed — replies, summaries, refusals and
// notices — for internal encodings.
func TestTranscriptHasNoEncoding(t *testing.T) {
	// After the whole collaboration, refusals that quote states: a second
	// request still in review, an archived one.
	script := wholeCollaboration + ":as amy\n发起协作\n" + pastedRequest + "确认\n进度 COL-2\n:as alice\n初审 COL-1 通过\n确认 COL-1\n"
	for lang, script := range map[string]string{
		"zh-CN": script,
		// Everyone reads English; the commands stay as typed.
		"en": speakerLine.ReplaceAllString(script, "$1\n:lang en"),
	} {
		h := newHarness(t)
		out := h.chat(script)
		for _, line := range strings.Split(out, "\n") {
			if m := encodings.FindString(line); m != "" {
				t.Errorf("%s: internal encoding %q in %q", lang, m, line)
			}
		}
	}
}

var speakerLine = regexp.MustCompile(`(?m)^(:as \w+)$`)

// wholeCollaboration plays a collaboration from filing to archive in which
// people often act on what concerns them (the coordinator owns a task,
// raises and escalates a risk, confirms minutes, delivers and accepts),
// with a rejected review, a question, a decline, replanning and rework.
var wholeCollaboration = ":as amy\n发起协作\n" + pastedRequest + "确认\n" +
	":as alice\n初审 COL-1 驳回 目标不清\n" +
	":as amy\n\"\"\"\n修改 COL-1\n协作背景与目标: Q4 上线,通过率 100%\n\"\"\"\n确认\n" +
	":as alice\n初审 COL-1 通过\n" +
	":as ben\n确认 COL-1 需补充信息\n测试环境谁提供?\n确认\n" +
	":as amy\n补充 COL-1 研发部 市场部提供\n" +
	":as ben\n确认 COL-1 承接\n确认\n" +
	":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 无预算\n替代方案: 市场部出\n\"\"\"\n确认\n" +
	":as amy\n移除部门 COL-1 财务部\n" +
	"\"\"\"\n任务 新建 COL-1\n任务名称: 准备测试环境\n直接责任人: @amy\n截止时间: 2026-12-10\n交付标准: 环境可用\n\"\"\"\n确认\n" +
	"\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n直接责任人: @ben\n协同责任人: @amy\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n" +
	"任务 T-1 求助 缺账号\n" +
	":as ben\n任务 T-2 申请改期 2026-12-15 等环境\n任务 T-2 阻塞 等环境\n" +
	":as amy\n任务 T-2 同意\n任务 T-2 转交 @david\n" +
	"\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @amy, @ben\n\"\"\"\n确认\n" +
	"会议 M-1 改期 明天 11:00\n会议 M-1 加人 @david\n" +
	"\"\"\"\n风险 上报 COL-1\n问题描述: 环境不稳\n影响范围: 联调\n影响程度: 中\n责任部门: 市场部\n责任人: @amy\n\"\"\"\n确认\n" +
	"风险 R-1 影响程度 高 影响上线\n" +
	"\"\"\"\n风险 R-1 响应\n解决方案: 换环境\n\"\"\"\n确认\n风险 R-1 解决 已换\n" +
	":as david\n任务 T-2 完成\n" +
	":as amy\n任务 T-1 完成\n" +
	"\"\"\"\n提交成果 COL-1\n成果交付清单: 报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检\n\"\"\"\n确认\n" +
	"\"\"\"\n验收 COL-1 不通过\n验收意见: 缺性能\n整改项: 补性能测试\n整改期限: 2026-12-20\n\"\"\"\n确认\n" +
	"\"\"\"\n提交成果 COL-1\n成果交付清单: 报告, v2, 1, https://docs.example.com/r2\n成果自检: 已补\n\"\"\"\n确认\n" +
	"验收 COL-1 通过\n" +
	"\"\"\"\n复盘 COL-1\n协作亮点: 快\n待改进点: 环境\n\"\"\"\n确认\n归档 COL-1\n"

// TestAnswerKeepsDepartmentsItNames checks that a department named inside
// an answer stays in the answer: only the one beside the reference says
// whose question is answered.
func TestAnswerKeepsDepartmentsItNames(t *testing.T) {
	h := newHarness(t)
	h.chat(":as amy\n发起协作\n" + pastedRequest + "确认\n:as alice\n初审 COL-1 通过\n" +
		":as ben\n确认 COL-1 需补充信息\n测试环境谁提供?\n确认\n")
	for _, tc := range []struct{ line, want string }{
		{"补充 COL-1 研发部 由 财务部 出预算,市场部提供环境", "由 财务部 出预算,市场部提供环境"},
	} {
		out := h.chat(":as amy\n" + tc.line + "\n")
		a, _ := h.collab(1).Ack("研发部")
		if a.Answer != tc.want {
			t.Errorf("%q stored the answer %q, want %q:\n%s", tc.line, a.Answer, tc.want, out)
		}
	}
}

// TestContactHearsWhenTheHeadAnswers checks that a head answering for the
// department tells its contact, by name, and that the contact answering
// does not add the line.
func TestContactHearsWhenTheHeadAnswers(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	out := h.chat(":as bob\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n")
	toBen := between(out, "→ @ben (DM): 【COL-1 · 部门已承接】", "→")
	if !strings.Contains(toBen, "答复人:李强 Bob") {
		t.Errorf("ben, the contact, was not told that bob answered for 研发部:\n%s", out)
	}
	if strings.Contains(between(out, "→ @amy (DM): 【COL-1 · 部门已承接】\n    财务部", "→"), "答复人") {
		t.Errorf("the contact's own answer names who answered:\n%s", out)
	}
}

// between is the text after start up to the next sep (or the end).
func between(s, start, sep string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(rest, sep)
	return rest
}
