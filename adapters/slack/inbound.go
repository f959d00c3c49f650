package slack

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/collabot/collabot/bot"
)

// inbound is one Slack event as the engine sees it, and where the answer
// goes. Both transports build it with the functions below, so a message
// means the same whichever way it came.
type inbound struct {
	msg     bot.Message
	to      route
	trigger string   // a trigger_id: a modal may be opened for this event
	click   *clicked // the clicked message, retired once the click is handled
	label   string   // the clicked button's label
}

// clicked is a message whose button was clicked.
type clicked struct {
	channel, ts string
	responseURL string
	user        string
	ephemeral   bool
	blocks      []slack.Block
}

// fromEvent translates an Events API event. It reports false for events
// the bot ignores: its own and other bots' messages, edits and deletions,
// channel chatter not addressed to it, and event types it does not use.
func (a *Adapter) fromEvent(ctx context.Context, self *identity, eventID string, inner any) (inbound, bool) {
	switch ev := inner.(type) {
	case *slackevents.MessageEvent:
		switch ev.SubType {
		case "", "thread_broadcast", "file_share":
		default: // edits, deletions, joins, bot messages …
			return inbound{}, false
		}
		if ev.BotID != "" || ev.User == "" || ev.User == self.user {
			return inbound{}, false
		}
		direct := ev.ChannelType == "im"
		if !direct {
			// In a channel the bot answers what is addressed to it: a
			// mention (which comes again as app_mention, handled there) or
			// a reply in a thread where it is conversing with someone.
			if mentions(ev.Text, self.user) || ev.ThreadTimeStamp == "" ||
				!a.threads.Has(ev.Channel+"/"+ev.ThreadTimeStamp) {
				return inbound{}, false
			}
		}
		in := a.message(ctx, self, eventID, ev.Channel, direct, ev.User, ev.Text)
		if ev.Message != nil { // the event's own fields, files among them
			in.msg.Attachments = attachments(ev.Message.Files)
		}
		in.to.thread = ev.ThreadTimeStamp
		return in, true
	case *slackevents.AppMentionEvent:
		if ev.BotID != "" || ev.User == "" || ev.User == self.user || ev.Edited != nil {
			return inbound{}, false
		}
		in := a.message(ctx, self, eventID, ev.Channel, false, ev.User, ev.Text)
		in.msg.Attachments = attachments(ev.Files)
		// The answer goes in a thread under the mention, and the person
		// can answer the bot's questions there without mentioning it.
		in.to.thread = firstNonEmpty(ev.ThreadTimeStamp, ev.TimeStamp)
		a.threads.Add(ev.Channel + "/" + in.to.thread)
		return in, true
	}
	return inbound{}, false
}

func (a *Adapter) message(ctx context.Context, self *identity, eventID, channel string, direct bool, user, text string) inbound {
	clean, ms := cleanText(text, self.user, a.opts.Directory)
	return inbound{
		msg: bot.Message{Workspace: a.opts.Workspace, Platform: bot.Slack, EventID: eventID,
			Channel: channel, Direct: direct, From: bot.Identity{Platform: bot.Slack, ID: user},
			Name: a.nameOf(ctx, user), Text: clean, Mentions: ms},
		to: route{channel: channel, user: user},
	}
}

// publicCommands answer the whole channel when run as a slash command: the
// board and the record sheet are what a team looks at together. Anything
// else a slash command says is for the person who typed it.
var publicCommands = []string{"board", "看板", "进度看板", "show", "查看"}

// fromSlash translates the /collab slash command. Its text becomes an
// explicit command ("/collab new"), so that it is never taken for the
// answer to a form the person left open.
func (a *Adapter) fromSlash(ctx context.Context, self *identity, cmd slack.SlashCommand) inbound {
	clean, ms := cleanText(cmd.Text, self.user, a.opts.Directory)
	in := inbound{
		msg: bot.Message{Workspace: a.opts.Workspace, Platform: bot.Slack, EventID: idFrom("cmd", cmd.TriggerID),
			Channel: cmd.ChannelID, Direct: isDirect(cmd.ChannelID, cmd.ChannelName),
			From: bot.Identity{Platform: bot.Slack, ID: cmd.UserID}, Name: a.nameOf(ctx, cmd.UserID),
			Text: strings.TrimSpace("/collab " + clean), Mentions: ms},
		to:      route{channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL},
		trigger: cmd.TriggerID,
	}
	if f := strings.Fields(clean); len(f) > 0 && slices.Contains(publicCommands, strings.ToLower(f[0])) {
		in.to.public = true
	}
	return in
}

// fromAction translates a button click on a message. Clicks inside a
// modal (a select changed) are not messages.
func (a *Adapter) fromAction(ctx context.Context, ic *slack.InteractionCallback) (inbound, bool) {
	home := isHome(ic)
	if (!home && (ic.Container.Type == "view" || ic.View.ID != "")) || len(ic.ActionCallback.BlockActions) == 0 {
		return inbound{}, false
	}
	act := ic.ActionCallback.BlockActions[0]
	kind, ok := parseActionID(act.ActionID)
	if !ok || act.Value == "" {
		return inbound{}, false
	}
	channel := firstNonEmpty(ic.Container.ChannelID, ic.Channel.ID)
	user := ic.User.ID
	if home {
		// A click on the Home tab is answered in the app's DM; the page
		// is published again once the change is saved.
		if channel, ok = a.homeClick(ctx, user); !ok {
			return inbound{}, false
		}
	}
	in := inbound{
		msg: bot.Message{Workspace: a.opts.Workspace, Platform: bot.Slack,
			EventID: idFrom("act", firstNonEmpty(ic.TriggerID, act.ActionTs)),
			Channel: channel, Direct: isDirect(channel, ic.Channel.Name),
			From: bot.Identity{Platform: bot.Slack, ID: user}, Name: a.nameOf(ctx, user),
			Action: &bot.Action{ID: kind, Value: act.Value}},
		to:      route{channel: channel, user: user, thread: ic.Container.ThreadTs},
		trigger: ic.TriggerID,
		label:   act.Text.Text,
		click: &clicked{channel: channel, ts: firstNonEmpty(ic.Container.MessageTs, ic.Message.Timestamp),
			responseURL: ic.ResponseURL, user: user, ephemeral: ic.Container.IsEphemeral,
			blocks: ic.Message.Blocks.BlockSet},
	}
	if home {
		in.msg.Direct, in.click = true, nil
	}
	if ic.Container.IsEphemeral {
		// Answers to a click on an ephemeral message stay ephemeral.
		in.to.responseURL = ic.ResponseURL
	}
	return in, true
}

func idFrom(kind, id string) string {
	if id == "" {
		return "" // nothing stable to de-duplicate by
	}
	return kind + ":" + id
}

func isDirect(channel, name string) bool {
	return strings.HasPrefix(channel, "D") || name == "directmessage"
}

// slackMarkup is what Slack writes in <…>: mentions, channels, special
// mentions and links. Everything a person typed literally arrives with
// &, < and > escaped, so it never matches.
var slackMarkup = regexp.MustCompile(`<([^<>\n]*)>`)

// mentions reports whether text mentions user.
func mentions(text, user string) bool {
	return user != "" && (strings.Contains(text, "<@"+user+">") || strings.Contains(text, "<@"+user+"|"))
}

// cleanText turns Slack's message text into what the engine reads: the
// bot's own mention removed, other people's mentions kept as <@U123> (the
// forms read them) and returned in order, channels as #name, links as
// their address, and the HTML escapes undone.
func cleanText(text, self string, dir *bot.Directory) (string, []bot.Identity) {
	var ms []bot.Identity
	out := slackMarkup.ReplaceAllStringFunc(text, func(tok string) string {
		inner := tok[1 : len(tok)-1]
		target, label, _ := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@U") || strings.HasPrefix(target, "@W"):
			id := target[1:]
			if id == self {
				return ""
			}
			if !slices.ContainsFunc(ms, func(m bot.Identity) bool { return m.ID == id }) {
				ms = append(ms, bot.Identity{Platform: bot.Slack, ID: id})
			}
			return mentionName(dir, id, label)
		case strings.HasPrefix(target, "#"):
			if label != "" {
				return "#" + label
			}
			return target
		case strings.HasPrefix(target, "!"):
			if label != "" {
				return label // a user group or a date's fallback text
			}
			return "@" + strings.TrimPrefix(target, "!") // @here, @channel: the forms defuse them
		case strings.HasPrefix(target, "mailto:"):
			return strings.TrimPrefix(target, "mailto:")
		}
		return target // a link: its address, which a url field reads
	})
	out = mrkdwnUnescapes.Replace(out)
	return strings.TrimSpace(out), ms
}

// mentionName is a Slack mention made neutral: "@" and a name the person
// goes by (the directory's, else Slack's label, else the account id) in
// one word, while the account goes with the message's mentions. The core
// reads "@name" and the mentions; it never sees Slack's <@U…> syntax.
func mentionName(dir *bot.Directory, id, label string) string {
	name := label
	if dir != nil {
		if p, ok := dir.ByIdentity(bot.Slack, id); ok && p.Name != "" {
			name = p.Name
		}
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(",，、;；:：@＠<>()（）|", r) {
			return -1
		}
		return r
	}, name)
	return "@" + cmp.Or(name, id)
}

// attachments are the files shared with a message as the bot keeps them:
// a reference to the file in Slack (its permalink, which honours Slack's
// own sharing rules), never its content.
func attachments(files []slack.File) []bot.Attachment {
	var out []bot.Attachment
	for _, f := range files {
		if f.ID == "" && f.Permalink == "" && f.URLPrivate == "" {
			continue
		}
		out = append(out, bot.Attachment{Name: cmp.Or(f.Name, f.Title, f.ID), Size: int64(f.Size),
			Link: cmp.Or(f.Permalink, f.URLPrivate), Platform: bot.Slack, ID: f.ID})
	}
	return out
}
