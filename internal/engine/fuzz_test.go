package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// FuzzRouter: whatever anyone types — a command in either language, a
// half-filled form's answer, a paste, garbage — the engine answers with
// valid text or a refusal and never fails or crashes (issue 14, build 5).
// Inputs run through one store in turn, so forms opened by one input are
// answered by the next.
func FuzzRouter(f *testing.F) {
	for _, s := range []string{"帮助", "help", "发起协作", "/collab new", "list all", "看板 COL-1", "show COL-99999999999999999999",
		"ack COL-1 accept", "任务 add COL-1 @bob 接口 12/1", "iam 研发部", "remind COL-1 ack off", "导出 COL-1 csv",
		"确认", "取消", "继续", "跳过", "上一步", "修改 due", "lang en", "edit COL-1", "risk add COL-1 high",
		"协作主题: x\n需协助部门: 研发部\n期望完成时间: 明天", "<@U0BOB> <!channel> [x](https://evil)", "\x00\u202e", "COL-", "T-0"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(3))
	}
	clock := bot.ClockFunc(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
	d := testkit.OpenDemo(f, filepath.Join(f.TempDir(), "fuzz.db"), clock, "")
	people := []string{"amy", "alice", "ben", "bob", "carol", "chris", "david", "lily", "stranger"}
	f.Fuzz(func(t *testing.T, text string, who uint8) {
		as := people[int(who)%len(people)]
		m := bot.Message{Workspace: d.Workspace(), Platform: bot.Console, Channel: "demo-group",
			From: bot.Identity{Platform: bot.Console, ID: as}, Name: as, Text: text}
		replies, err := d.Engine.Handle(context.Background(), m)
		if err != nil {
			t.Fatalf("%s typed %q: %v", as, text, err)
		}
		for _, r := range replies {
			for _, s := range []string{r.Title, r.Body} {
				if !utf8.ValidString(s) {
					t.Fatalf("%s typed %q: invalid UTF-8 in the reply %q", as, text, s)
				}
			}
		}
	})
}
