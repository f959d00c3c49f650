package dingtalk

import (
	"context"
	"fmt"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"

	"github.com/collabot/collabot/bot"
)

// Files sent to the robot (msgtype file or picture) come as download
// codes; the robot message file download OpenAPI trades a code for a
// download link, which is what the bot keeps — a reference, never the
// file's bytes.

// fileLinker resolves a download code to a link.
type fileLinker interface {
	downloadLink(ctx context.Context, code string) (string, error)
}

func (o *openAPI) downloadLink(ctx context.Context, code string) (string, error) {
	var out struct {
		DownloadURL string `json:"downloadUrl"`
	}
	err := o.call(ctx, "/v1.0/robot/messageFiles/download", map[string]string{"downloadCode": code, "robotCode": o.robotCode}, &out)
	if err != nil {
		return "", fmt.Errorf("dingtalk: file download link: %w", err)
	}
	return out.DownloadURL, nil
}

// attachments reads a file or picture message's content as attachments.
// A code that cannot be resolved leaves the link empty, which the engine
// refuses in words, so the sender knows to send the file again.
func (a *Adapter) attachments(ctx context.Context, d *chatbot.BotCallbackDataModel) []bot.Attachment {
	if d.Msgtype != "file" && d.Msgtype != "picture" {
		return nil
	}
	content, _ := d.Content.(map[string]any)
	code, _ := content["downloadCode"].(string)
	if code == "" {
		return nil
	}
	name, _ := content["fileName"].(string)
	id, _ := content["fileId"].(string)
	if name == "" {
		name = "image.png" // a picture has no name
	}
	att := bot.Attachment{Name: name, Platform: bot.DingTalk, ID: id}
	if fl, ok := a.api.(fileLinker); ok {
		link, err := fl.downloadLink(ctx, code)
		if err != nil {
			a.log.Warn("file sent to the robot not resolved", "msg", d.MsgId, "err", err)
		}
		att.Link = link
	}
	return []bot.Attachment{att}
}
