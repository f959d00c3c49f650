package engine_test

import (
	"strings"
	"testing"
)

// TestSecondRequestKeepsTheFirst: starting another request while one is
// half-filled keeps the first as a draft (said, with how to go on), not
// replaced; an untouched one just goes.
func TestSecondRequestKeepsTheFirst(t *testing.T) {
	for _, tc := range []struct{ script, kept, back, resumed string }{
		{"发起协作\n主题A\n新建 资源协调\n取消\n继续\n", "“协作需求表”表单已存为草稿,之后发送 `继续` 接着填", "协作背景与目标", "接着填写“协作需求表”"},
		{"发起协作\n主题A\n发起协作\n取消\n继续\n", "“协作需求表”表单已存为草稿", "协作背景与目标", "接着填写“协作需求表”"},
		{":lang en\nnew\nTopic A\nnew resource\ncancel\nresume\n", "“Collaboration request” form is kept as a draft; send `resume`", "Background and goal", "Back to your “Collaboration request” form"},
	} {
		h := newHarness(t)
		out := h.chat(tc.script)
		mustContain(t, out, tc.kept, tc.resumed)
		mustLack(t, out, "已替换为新的", "was replaced by this one", "没有存为草稿的表单", "no form put aside")
		// The draft is the first request, its topic kept: the goal is asked next.
		mustContain(t, after(out, tc.resumed), tc.back)
	}
	// Nothing answered yet: nothing to keep, nothing said.
	for _, script := range []string{"发起协作\n新建 资源协调\n继续\n", ":lang en\nnew\nnew resource\nresume\n"} {
		out := newHarness(t).chat(script)
		mustLack(t, out, "草稿,", "kept as a draft", "已替换为新的", "was replaced")
	}
}

// TestBackFromAnEditedFieldReturnsToTheSummary: 修改 <字段> at the
// summary, then 上一步, shows the summary again (not the same question),
// and the next 确认 submits what it showed.
func TestBackFromAnEditedFieldReturnsToTheSummary(t *testing.T) {
	const pastedEN = "\"\"\"\nnew\ntopic: API testing\ngoal: launch the Q4 product\ndepartments: engineering, finance\nrequirements: test the API\ndue: 2026-12-18\n\"\"\"\n"
	for _, tc := range []struct{ script, edit, back, confirm, summary string }{
		{"\"\"\"\n发起协作\n" + pastedRequest[len("\"\"\"\n"):], "修改 部门\n", "上一步\n", "确认\n", "请确认:协作需求表"},
		{":lang en\n" + pastedEN, "edit departments\n", "back\n", "confirm\n", "Please confirm: Collaboration request"},
	} {
		h := newHarness(t)
		h.chat(tc.script)
		out := h.chat(tc.edit + tc.back)
		if last := out[strings.LastIndex(out, "【"):]; !strings.HasPrefix(last, "【"+tc.summary) {
			t.Errorf("back from the edited field did not return to the summary:\n%s", out)
		}
		out = h.chat(tc.back + tc.confirm)
		mustContain(t, out, tc.summary, "COL-1")
	}
}

// TestEditOfNoFieldIsRefusedAtAQuestion: "修改 截止" at a question names
// no field: refused with the fields there are, not taken as the answer;
// an answer of several words that starts with 修改 is still an answer.
func TestEditOfNoFieldIsRefusedAtAQuestion(t *testing.T) {
	for _, tc := range []struct{ script, want, unwanted string }{
		{"发起协作\n主题A\n目标B\n修改 截止\n", "没有“截止”这一项。可修改:协作类型, 协作主题", "没有名为“修改”的部门"},
		{":lang en\nnew\nTopic A\nGoal B\nedit cutoff\n", "There is no “cutoff” field. You can edit: Collaboration type, Topic", "no department"},
		{"发起协作\n修改 登录页的提示 和按钮\n", "协作背景与目标", "这一项"},
		{":lang en\nnew\nedit the login page copy\n", "Background and goal", "field"},
	} {
		out := newHarness(t).chat(tc.script)
		mustContain(t, out, tc.want)
		mustLack(t, out, tc.unwanted)
	}
}

// TestSteeringWordsWithNoFormOpen: 取消/cancel or 上一步/back with no form
// open says nothing is being filled in, in the speaker's language, with
// how to cancel a collaboration (COL-n, not a real-looking number); not
// the usage of 撤销, nor "did you mean ack".
func TestSteeringWordsWithNoFormOpen(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"取消\n", "现在没有正在填写的表单,没有什么可以取消。要撤销一个协作,请发送 `撤销 COL-n <原因>`。"},
		{"放弃\n", "没有什么可以取消"},
		{"上一步\n", "现在没有正在填写的表单,没有上一步可以返回。"},
		{":lang en\ncancel\n", "Nothing is being filled in, so there is nothing to cancel. To cancel a collaboration, send `cancel COL-n <reason>`."},
		{":lang en\nback\n", "Nothing is being filled in, so there is no step to go back to."},
		{"发起协作\n取消\n取消\n", "没有什么可以取消"},
	} {
		out := newHarness(t).chat(tc.script)
		mustContain(t, out, tc.want)
		mustLack(t, out, "用法", "Usage", "COL-3", "Did you mean", "你是不是想用")
	}
}

// TestTypeOfferIsAnswered: right after "did you mean 资源协调申请?", 是/好/
// 对/yes/y/ok files that type (its form opens) and 取消/no/cancel drops the
// offer politely; anything else is read as if nothing had been asked.
func TestTypeOfferIsAnswered(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"新建 资源协凋\n是\n确认\n", "缺少必填项:协作主题、协作背景与目标、需协助部门、资源类型"},
		{"新建 资源协凋\n好\n确认\n", "资源类型"},
		{"新建 资源协凋\n对\n确认\n", "资源类型"},
		{":lang en\nnew resourse\nyes\nconfirm\n", "missing: Topic, Background and goal, Assisting departments, Resource type"},
		{":lang en\nnew resourse\ny\nconfirm\n", "Resource type"},
		{":lang en\nnew resourse\nok\nconfirm\n", "Resource type"},
		{"新建 资源协凋\n取消\n", "好的,不新建了。要发起协作,请发送 `新建`。"},
		{":lang en\nnew resourse\nno\n", "OK, nothing filed. Send `new` to file a collaboration request."},
		{":lang en\nnew resourse\ncancel\n", "OK, nothing filed."},
	} {
		h := newHarness(t)
		out := h.chat(tc.script)
		mustContain(t, out, tc.want)
		mustLack(t, out, "没有“是”这个命令", "没有“好”这个命令", "用法", "Usage", "I did not understand")
	}
	// The offer is asked about once: a 是 after another message is no answer to it.
	out := newHarness(t).chat("新建 资源协凋\n帮助\n是\n")
	mustLack(t, after(out, "collabot 命令"), "资源类型", "协作主题")
	mustContain(t, newHarness(t).chat("新建 资源协凋\n"), "回复 `是` 就按“资源协调申请”新建,回复 `取消` 作罢。")
}

// TestSteeringWordsWithOnlyADraft: with no form open but a draft put
// aside, 取消/back say so and name the draft; after a form was put aside
// for idling, they add nothing to the notice.
func TestSteeringWordsWithOnlyADraft(t *testing.T) {
	h := newHarness(t)
	out := h.chat("发起协作\n主题A\n发起协作\n取消\n上一步\n")
	mustContain(t, after(out, "没有上一步可以返回"), "你还有未完成的“协作需求表”草稿")
	out = h.chat(":lang en\ncancel\n")
	mustContain(t, after(out, "nothing to cancel"), "You have an unfinished “Collaboration request” draft")
	h.chat("resume\n")
	h.clock.Set("+31m", h.cfg.Location())
	out = h.chat("cancel\n")
	mustContain(t, out, "put aside as a draft")
	mustLack(t, out, "Usage", "nothing to cancel")
}
