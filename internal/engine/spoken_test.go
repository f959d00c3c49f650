package engine_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
)

var seconds = regexp.MustCompile(`(T\d\d:\d\d):\d\d(?:\.\d+)?`)

// TestSpokenCommandsDoTheSame checks that the Chinese form of each command
// a notice offers (written out in DingTalk groups and the terminal) does
// exactly what its canonical English form does: two identical bots, one
// typed the English command and one the Chinese, answer alike and end in
// the same state.
func TestSpokenCommandsDoTheSame(t *testing.T) {
	setups := map[string]string{
		"filed":  "",
		"review": ":as amy\n发起协作\n" + pastedRequest + "确认\n",
		"active": ":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n:as amy\n" +
			"\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n" +
			"\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @amy, @ben\n\"\"\"\n确认\n" +
			"\"\"\"\n风险 上报 COL-1\n问题描述: 环境不稳\n影响范围: 联调\n影响程度: 中\n责任部门: 研发部\n责任人: @ben\n\"\"\"\n确认\n",
		"moved":     ":as ben\n任务 T-1 申请改期 2026-12-15 等环境\n",
		"delivered": ":as ben\n任务 T-1 完成\n:as amy\n\"\"\"\n提交成果 COL-1\n成果交付清单: 报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检\n\"\"\"\n确认\n",
	}
	for _, tc := range []struct {
		setup []string
		as    string
		en    string
	}{
		{[]string{"review"}, "alice", "review COL-1 approve"},
		{[]string{"review"}, "alice", "review COL-1 reject"},
		{[]string{"filed"}, "ben", "ack COL-1 研发部 accept"},
		{[]string{"filed"}, "ben", "ack COL-1 decline"},
		{[]string{"filed"}, "ben", "ack COL-1 info"},
		{[]string{"filed", "active"}, "ben", "ack COL-1 研发部 details"},
		{[]string{"filed"}, "amy", "edit COL-1"},
		{[]string{"filed", "active"}, "ben", "task T-1 start"},
		{[]string{"filed", "active"}, "ben", "task T-1 done"},
		{[]string{"filed", "active"}, "ben", "task T-1 help"},
		{[]string{"filed", "active"}, "ben", "task T-1 block"},
		{[]string{"filed", "active", "moved"}, "amy", "task T-1 approve"},
		{[]string{"filed", "active", "moved"}, "amy", "task T-1 refuse"},
		{[]string{"filed", "active"}, "amy", "meeting M-1 agenda"},
		{[]string{"filed", "active"}, "amy", "meeting M-1 minutes"},
		{[]string{"filed", "active"}, "ben", "risk R-1 respond"},
		{[]string{"filed", "active"}, "amy", "risk R-1 severity high 客户投诉"},
		{[]string{"filed", "active"}, "amy", "risk R-1 owner @david"},
		{[]string{"filed", "active"}, "amy", "board COL-1"},
		{[]string{"filed"}, "amy", "board web"},
		{[]string{"filed", "active"}, "amy", "show COL-1"},
		{[]string{"filed", "active"}, "amy", "export COL-1"},
		{[]string{"filed", "active"}, "ben", "update COL-1"},
		{[]string{"filed", "active", "delivered"}, "amy", "accept COL-1 pass"},
		{[]string{"filed", "active", "delivered"}, "amy", "accept COL-1 fail"},
		{[]string{"filed", "active"}, "amy", "deliver COL-1"},
	} {
		t.Run(tc.en, func(t *testing.T) {
			play := func(cmd string) (string, string) {
				h := newHarness(t)
				if tc.setup[0] == "filed" {
					h.fileRequest()
				}
				for _, s := range tc.setup {
					h.chat(setups[s])
				}
				out := h.chat(":as " + tc.as + "\n" + cmd + "\n")
				st, err := json.Marshal(h.collab(1))
				if err != nil {
					t.Fatal(err)
				}
				// The terminal's clock runs on from where it was set: compare
				// instants to the minute.
				return out, seconds.ReplaceAllString(string(st), "$1")
			}
			zh := engine.Spoken(newHarness(t).eng, tc.en, bot.Chinese)
			if zh == tc.en {
				t.Fatalf("%q has no Chinese form", tc.en)
			}
			outEN, stEN := play(tc.en)
			outZH, stZH := play(zh)
			if outEN != outZH {
				t.Errorf("%q and %q answer differently:\n--- %s\n%s\n--- %s\n%s", tc.en, zh, tc.en, outEN, zh, outZH)
			}
			if stEN != stZH {
				t.Errorf("%q and %q leave different states:\n--- %s\n%s\n--- %s\n%s", tc.en, zh, tc.en, stEN, zh, stZH)
			}
			if strings.Contains(outEN, "没看懂") || strings.Contains(outEN, "不是可选") {
				t.Errorf("%q was not understood:\n%s", tc.en, outEN)
			}
		})
	}
}

// TestSpokenArgumentsInChinese: a button's command shown to a Chinese
// reader has no English words left in it.
func TestSpokenArgumentsInChinese(t *testing.T) {
	eng := newHarness(t).eng
	for en, zh := range map[string]string{
		"ack COL-1 研发部 details": "确认 COL-1 研发部 详情",
		"ack COL-1 研发部 accept":  "确认 COL-1 研发部 承接",
		"confirm M-1":           "确认 M-1",
	} {
		if got := engine.Spoken(eng, en, bot.Chinese); got != zh {
			t.Errorf("%q in Chinese = %q, want %q", en, got, zh)
		}
	}
}
