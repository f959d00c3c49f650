package engine_test

import "testing"

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
