package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// WebLinks hands out signed links to the web board (internal/web).
type WebLinks interface {
	// Link is the person's board link and when it stops working.
	Link(ws bot.Workspace, p bot.PersonID) (string, time.Time, error)
}

// webWords are what follows 看板 / board to ask for the web board.
var webWords = []string{"web", "网页", "link", "链接", "网页版"}

func isWebWord(a string) bool { return slices.Contains(webWords, strings.ToLower(a)) }

// cmdBoardOrWeb is 看板: `看板 网页` / `board web` sends the person their
// board link; otherwise the board of a collaboration, with a button that
// asks for the link.
func cmdBoardOrWeb(ctx context.Context, s *session, in input) error {
	if isWebWord(in.arg(0)) {
		return cmdWebLink(ctx, s)
	}
	if err := cmdBoard(ctx, s, in); err != nil {
		return err
	}
	if s.e.Web != nil && len(s.out) > 0 {
		last := &s.out[len(s.out)-1]
		cmd := s.tr("看板 网页", "board web")
		last.Buttons = append(last.Buttons, bot.Button{Label: s.tr("🌐 网页看板", "🌐 Web board"), Action: "command", Value: cmd, Command: cmd})
	}
	return nil
}

// cmdWebLink replies with the person's own link. The link lets whoever
// holds it read what the person may read, so it only goes where nobody
// else sees it: a direct chat, or a Slack reply only the person sees.
func cmdWebLink(_ context.Context, s *session) error {
	if s.e.Web == nil {
		s.say("网页看板尚未开启:需要管理员设置 COLLABOT_WEB_SECRET。在聊天中可用 `看板 COL-n` 查看进度。",
			"The web board is not switched on: the operator needs to set COLLABOT_WEB_SECRET. In chat, `board COL-n` shows progress.")
		return nil
	}
	if !s.msg.Direct && s.msg.Platform != bot.Slack {
		s.say("网页看板链接是你个人的,只在私聊中发送:请私聊我发送 `看板 网页`。",
			"Your board link is personal and only sent in a direct chat: send me `board web` there.")
		return nil
	}
	url, exp, err := s.e.Web.Link(s.msg.Workspace, s.person.ID)
	if err != nil {
		return err
	}
	until := exp.In(s.loc()).Format("2006-01-02 15:04")
	s.reply(bot.Reply{
		Title: s.tr("你的网页看板", "Your web board"),
		Body: s.tr("[打开网页看板](%s)\n\n链接有效期至 %s,只给你本人使用,请勿转发;过期后再发 `看板 网页` 获取新链接。",
			"[Open the web board](%s)\n\nThe link works until %s and is for you alone; do not forward it. When it expires, send `board web` for a new one.",
			url, until),
		Private: true,
	})
	return nil
}
