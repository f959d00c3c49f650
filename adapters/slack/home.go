package slack

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The App Home tab shows what waits for the person who opens it, drawn
// from the engine's description (bot.Home): acknowledgements, reviews,
// tasks with their 🔴🟡🟢, meetings, the collaborations they coordinate,
// each with the buttons its notice has (the same action ids and values,
// so a click goes the way a click on the notice goes). It is published
// when the tab is opened, and again by the dispatcher (Send, a notice of
// kind bot.KindHome) after changes that concern the person.

// HomeService describes a person's home page: the engine.
type HomeService interface {
	HomeOpened(ctx context.Context, m bot.Message) (*bot.Home, error)
}

// maxHomeBlocks is Block Kit's limit for a home tab.
const maxHomeBlocks = 100

// onHomeOpened publishes the page of the person who opened the Home tab,
// paced like the adapter's other posts; the event itself needs only its
// ack (a failed publication is repeated when they open it again).
func (a *Adapter) onHomeOpened(ev *slackevents.AppHomeOpenedEvent, eventID string, ack acker) {
	ack(true, nil)
	if ev.Tab != "home" || ev.User == "" || a.opts.Home == nil {
		return
	}
	if ev.Channel != "" {
		a.dms.LoadOrStore(ev.User, ev.Channel) // the app's DM with them: where clicks on the page are answered
	}
	a.later(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		m := bot.Message{Workspace: a.opts.Workspace, Platform: bot.Slack, EventID: eventID, Channel: ev.Channel, Direct: true,
			From: bot.Identity{Platform: bot.Slack, ID: ev.User}, Name: a.nameOf(ctx, ev.User)}
		h, err := a.opts.Home.HomeOpened(ctx, m)
		if err != nil {
			a.log.Warn("home not described", "user", ev.User, "err", err)
			return
		}
		err = a.retryRate(ctx, "@"+ev.User, func() error { return a.publishHome(ctx, ev.User, h) })
		if err != nil {
			a.log.Warn("home not published", "user", ev.User, "err", err)
		}
	})
}

// sendHome publishes a refreshed page for the dispatcher: a rate limit
// comes back as *bot.Throttled, as for any send.
func (a *Adapter) sendHome(ctx context.Context, n bot.Notification) error {
	user := ""
	for _, id := range n.Accounts {
		if id.Platform == bot.Slack {
			user = id.ID
			break
		}
	}
	if user == "" || n.Home == nil {
		return fmt.Errorf("slack: home %d: %s has no Slack account: %w", n.ID, n.To, bot.ErrUndeliverable)
	}
	if err := a.publishHome(ctx, user, n.Home); err != nil {
		return sendError(fmt.Errorf("slack: home %d: %w", n.ID, err))
	}
	return nil
}

func (a *Adapter) publishHome(ctx context.Context, user string, h *bot.Home) error {
	_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user,
		View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: homeBlocks(h)}}})
	return wrap("views.publish", err)
}

// homeBlocks draws the page within Block Kit's 100 blocks: a header, then
// per section its title and per item a line and its buttons. What does
// not fit is counted in a last line that links to the web board when
// there is one.
func homeBlocks(h *bot.Home) []slack.Block {
	blocks := []slack.Block{slack.NewHeaderBlock(plain(clip(escape(oneLine(h.Title)), maxHeader)))}
	n := 0 // buttons so far: action ids are unique within a view
	var top []slack.BlockElement
	for _, b := range h.Buttons {
		if e := button(b, n); e != nil && len(top) < maxActions {
			top = append(top, e)
			n++
		}
	}
	if len(top) > 0 {
		blocks = append(blocks, slack.NewActionBlock("", top...))
	}
	if len(h.Sections) == 0 {
		return append(blocks, slack.NewSectionBlock(md(clip(mrkdwn(h.Empty), maxSection)), nil, nil))
	}
	room := maxHomeBlocks - len(blocks) - 1 // one kept for "and N more"
	left := h.Items()
	full := false
	for _, sec := range h.Sections {
		if full {
			break
		}
		// A section's title is shown only with at least its first item.
		head := []slack.Block{slack.NewDividerBlock(), slack.NewSectionBlock(md("*"+escape(oneLine(sec.Title))+"*"), nil, nil)}
		shown := false
		for _, it := range sec.Items {
			item := homeItem(it, &n)
			need := len(item)
			if !shown {
				need += len(head)
			}
			if need > room {
				full = true
				break
			}
			if !shown {
				blocks = append(blocks, head...)
				room -= len(head)
				shown = true
			}
			blocks = append(blocks, item...)
			room -= len(item)
			left--
		}
	}
	if left > 0 {
		text := words.Get(h.Lang, "adapter.home.more", words.Args{"n": left})
		if h.Board != "" {
			text = "<" + h.Board + "|" + escape(words.Get(h.Lang, "adapter.home.more_board", words.Args{"n": left})) + ">"
		}
		blocks = append(blocks, slack.NewContextBlock("", md(text)))
	}
	return blocks
}

// homeItem is one thing waiting: its line and, below it, its buttons.
func homeItem(it bot.HomeItem, n *int) []slack.Block {
	text := mrkdwn(it.Text)
	if it.Emoji != "" {
		text = it.Emoji + " " + text
	}
	out := []slack.Block{slack.NewSectionBlock(md(clip(text, maxSection)), nil, nil)}
	var elems []slack.BlockElement
	for _, b := range it.Buttons {
		if e := button(b, *n); e != nil && len(elems) < maxActions {
			elems = append(elems, e)
			*n++
		}
	}
	if len(elems) > 0 {
		out = append(out, slack.NewActionBlock("", elems...))
	}
	return out
}

// homeClick is where a click on the Home tab is answered: the app's DM
// with the person, since the page itself has no thread to answer in.
func (a *Adapter) homeClick(ctx context.Context, user string) (string, bool) {
	ch, err := a.dmWith(ctx, user)
	if err != nil {
		a.log.Warn("a click on the home tab has nowhere to be answered", "user", user, "err", err)
		return "", false
	}
	return ch, true
}

// isHome reports whether an interaction came from the Home tab.
func isHome(ic *slack.InteractionCallback) bool {
	return ic.View.Type == slack.VTHomeTab
}
