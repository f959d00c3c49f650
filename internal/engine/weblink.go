package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
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
		last.Buttons = append(last.Buttons, bot.Button{Label: s.w("reply.web.button", nil), Action: "command", Value: "board web",
			Command: s.e.spoken("board web", s.lang)})
	}
	return nil
}

// cmdWebLink replies with the person's own link. The link lets whoever
// holds it read what the person may read, so it only goes where nobody
// else sees it: a direct chat, or a Slack reply only the person sees.
func cmdWebLink(_ context.Context, s *session) error {
	if s.e.Web == nil {
		s.sayKey("reply.web.off", nil)
		return nil
	}
	if !s.msg.Direct && s.msg.Platform != bot.Slack {
		s.sayKey("reply.web.direct_only", nil)
		return nil
	}
	url, exp, err := s.e.Web.Link(s.msg.Workspace, s.person.ID)
	if err != nil {
		return err
	}
	until := exp.In(s.loc()).Format("2006-01-02 15:04")
	s.reply(bot.Reply{
		Title:   s.w("reply.web.title", nil),
		Body:    s.w("reply.web.link", words.Args{"url": url, "until": until}),
		Private: true,
	})
	return nil
}
