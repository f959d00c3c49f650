package slack

import (
	"context"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// TestFileSharedWithProgress: a file shared in the DM with the answer to
// the progress form (a file_share message event, read through slack-go's
// own decoding) is kept with the update as a reference — the file's id,
// name, size and permalink — and a file shared with no form open is
// refused in words, the form's answer untouched.
func TestFileSharedWithProgress(t *testing.T) {
	f := slackfake.New(t)
	w, a := socketWorld(t, f)

	w.say("amy", "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 上线\n需协助部门: 运营部\n具体需求描述: 活动页面\n期望完成时间: 2026-12-18")
	w.say("amy", "确认")
	w.say("alice", "初审 COL-1 通过")
	w.say("chris", "确认 COL-1 承接")
	w.say("chris", "确认")
	w.say("amy", "任务 新建 COL-1\n任务名称: 活动页面\n直接责任人: chris\n截止时间: 2026-12-10\n交付标准: 上线")
	w.say("amy", "确认")
	w.drain(a)

	// A file with nothing open to take it.
	f.Push("events_api", slackfake.MessageEvent("EvF0", "D0CHRIS", "U0CHRIS", "",
		map[string]any{"subtype": "file_share", "files": []any{slackfake.SharedFile("F0STRAY", "stray.pdf", 10)}}))
	f.WaitPost("D0CHRIS", "附件要附在某项记录上")

	f.Push("events_api", slackfake.MessageEvent("EvF1", "D0CHRIS", "U0CHRIS", "进度 COL-1", nil))
	f.WaitPost("D0CHRIS", "今天完成了什么")
	f.Push("events_api", slackfake.MessageEvent("EvF2", "D0CHRIS", "U0CHRIS", "活动页初稿完成", map[string]any{
		"subtype": "file_share", "files": []any{slackfake.SharedFile("F0DRAFT", "活动页初稿.pdf", 348160)}}))
	f.WaitPost("D0CHRIS", "已附上 活动页初稿.pdf (340 KB)")
	for i, answer := range []string{"跳过", "跳过", "跳过", "确认"} {
		f.Push("events_api", slackfake.MessageEvent("EvF"+string(rune('3'+i)), "D0CHRIS", "U0CHRIS", answer, nil))
	}
	f.WaitPost("D0CHRIS", "已记录你今天在 COL-1 的进度")

	// In a channel the file comes with the mention that opens the form.
	f.Push("events_api", slackfake.Callback("EvF9", map[string]any{"type": "app_mention", "user": "U0CHRIS", "channel": "C0LAUNCH",
		"text": "<@UBOT> 交付 COL-1", "ts": "1700000009.000100", "event_ts": "1700000009.000100",
		"files": []any{slackfake.SharedFile("F0PAGE", "活动页.zip", 1048576)}}))
	f.WaitPost("C0LAUNCH", "已附上 活动页.zip (1.0 MB)")

	var got []bot.ProgressUpdate
	err := w.store.View(context.Background(), w.ws(), func(tx bot.Tx) error {
		var err error
		got, err = tx.Progress(context.Background(), 1, monday.Format("2006-01-02"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Attachments) != 1 {
		t.Fatalf("progress kept %+v", got)
	}
	want := bot.Attachment{Name: "活动页初稿.pdf", Size: 348160, Link: "https://fake.slack.com/files/U0/F0DRAFT/活动页初稿.pdf",
		Platform: bot.Slack, ID: "F0DRAFT"}
	if got[0].Attachments[0] != want || got[0].Done != "活动页初稿完成" {
		t.Errorf("kept %+v, done %q; want %+v", got[0].Attachments[0], got[0].Done, want)
	}
}
