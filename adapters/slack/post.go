package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/collabot/collabot/internal/words"
	"github.com/slack-go/slack"
)

// route is where the answer to one event goes.
type route struct {
	channel string
	thread  string // thread_ts to answer in; "" at the top level
	user    string // the speaker, for ephemeral replies
	// responseURL answers a slash command or an ephemeral message; public
	// makes that answer visible to the channel ("in_channel").
	responseURL string
	public      bool
}

// A reply posted from memory (a slash command's follow-up, a modal's
// answer) waits out rate limits for as long as Slack asks, at most
// maxRateWait at a time, until the adapter shuts down: a 429 means
// nothing was posted, and a reply is never dropped for one. The answers
// to messages, mentions and clicks do not come this way at all: the
// dispatcher posts them from the outbox (DurableReplies).
const maxRateWait = 30 * time.Second

// deliver posts messages along a route. A rate limit is waited out and the
// post retried, since a 429 means nothing was posted; any other failure is
// logged and dropped, since retrying a post that may have arrived could
// double it.
func (a *Adapter) deliver(ctx context.Context, to route, msgs []outMessage) {
	for _, m := range msgs {
		err := a.retryRate(ctx, paceKey(to.channel, to.user), func() error { return a.post(ctx, to, m) })
		if err != nil {
			a.log.Warn("reply not posted", "channel", to.channel, "err", err)
			continue
		}
		if to.thread != "" {
			a.threads.Add(to.channel + "/" + to.thread)
		}
	}
}

// post sends one message along a route; extra options (the metadata of
// an outbox row) go with a chat.postMessage only, the one kind of post
// that can be found again.
func (a *Adapter) post(ctx context.Context, to route, m outMessage, extra ...slack.MsgOption) error {
	if m.file != nil && to.channel != "" {
		sent, err := a.upload(ctx, to, m)
		var rl *slack.RateLimitedError
		switch {
		case err == nil && sent != to.channel && to.responseURL != "":
			// Asked privately in a channel: the file went to the DM, and
			// the asker is told where it is, ephemerally.
			note := words.Get(a.langOf(to.user), "reply.file_in_dm", words.Args{"file": m.file.Name})
			return a.respond(ctx, to.responseURL, &slack.WebhookMessage{Text: note, ResponseType: slack.ResponseTypeEphemeral})
		case err == nil || errors.As(err, &rl):
			return wrap("files.upload", err) // nil, or a wait retryRate honours
		}
		// Without files:write, or where the bot may not share files, the
		// record goes as Markdown messages instead.
		a.log.Warn("record not uploaded; posting it as text", "channel", to.channel, "err", err)
	}
	if to.responseURL != "" {
		kind := slack.ResponseTypeEphemeral
		if to.public && !m.private {
			kind = slack.ResponseTypeInChannel
		}
		return a.respond(ctx, to.responseURL, &slack.WebhookMessage{Text: m.text,
			Blocks: &slack.Blocks{BlockSet: m.blocks}, ResponseType: kind})
	}
	opts := []slack.MsgOption{slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...)}
	if to.thread != "" {
		opts = append(opts, slack.MsgOptionTS(to.thread))
	}
	if m.private && to.user != "" {
		_, err := a.api.PostEphemeralContext(ctx, to.channel, to.user, opts...)
		return wrap("chat.postEphemeral", err)
	}
	_, _, err := a.api.PostMessageContext(ctx, to.channel, append(opts, extra...)...)
	return wrap("chat.postMessage", err)
}

// upload posts a reply's file where its reader, and only they, should
// get it: the chat it was asked in, or — for an answer only the asker
// sees (a slash command's, an ephemeral one) — their direct messages, so
// a record asked for privately is not shared with the whole channel.
func (a *Adapter) upload(ctx context.Context, to route, m outMessage) (string, error) {
	channel, thread := to.channel, to.thread
	if (to.responseURL != "" && !to.public || m.private) && to.user != "" {
		dm, err := a.dmWith(ctx, to.user)
		if err != nil {
			return "", err
		}
		channel, thread = dm, ""
	}
	_, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{Channel: channel, ThreadTimestamp: thread,
		Filename: m.file.Name, Title: m.file.Name, FileSize: len(m.file.Data), Reader: bytes.NewReader(m.file.Data),
		InitialComment: m.title})
	return channel, err
}

// respond posts to a response_url, which must be Slack's (or, in tests,
// the configured API server's): the URL arrives in a signed request, but
// the bot should never be made to post its messages anywhere else.
func (a *Adapter) respond(ctx context.Context, rawURL string, msg *slack.WebhookMessage) error {
	if !a.trustedURL(rawURL) {
		return fmt.Errorf("slack: response_url on %q is not Slack's", hostOf(rawURL))
	}
	err := a.hook(ctx, rawURL, msg)
	var ue *url.Error
	if errors.As(err, &ue) {
		// A response_url lets whoever holds it post to the channel for a
		// while: keep it out of logs.
		err = fmt.Errorf("%s %s: %w", ue.Op, hostOf(rawURL), ue.Err)
	}
	return wrap("response_url", err)
}

func (a *Adapter) trustedURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Scheme == "https" && (u.Host == "hooks.slack.com" || strings.HasSuffix(u.Host, ".slack.com")) {
		return true
	}
	api, err := url.Parse(a.opts.APIURL)
	return err == nil && u.Scheme == api.Scheme && u.Host == api.Host
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return "?"
}

// retryRate runs f until it is not rate limited, waiting as Slack asks
// and, with a Pacer, for the holds the dispatcher knows of on the same
// channel (where), which it tells of the holds it is given.
func (a *Adapter) retryRate(ctx context.Context, where string, f func() error) error {
	for {
		if p := a.opts.Pacer; p != nil {
			if err := p.Wait(ctx, where); err != nil {
				return fmt.Errorf("slack: waiting out a rate limit: %w", err)
			}
		}
		err := f()
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) {
			return err
		}
		wait := min(max(rl.RetryAfter, time.Second), maxRateWait)
		a.log.Info("slack rate limit, waiting", "wait", wait)
		if p := a.opts.Pacer; p != nil {
			p.Hold(ctx, where, time.Now().Add(wait))
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("slack: waiting out a rate limit: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// paceKey is a channel as the dispatcher keys it: a direct message by
// the person ("@U0AMY"), as notices to them are.
func paceKey(channel, user string) string {
	if strings.HasPrefix(channel, "D") && user != "" {
		return "@" + user
	}
	return channel
}

// wrap names the Web API method in an error, keeping the cause for
// errors.As (a rate limit stays a *slack.RateLimitedError).
func wrap(method string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("slack: %s: %w", method, err)
}

// retire replaces a clicked message so its buttons cannot be clicked
// again: the same blocks without the actions, and a line saying who
// clicked what.
func (a *Adapter) retire(ctx context.Context, c *clicked, note string) {
	if c == nil {
		return
	}
	blocks := keepBlocks(c.blocks)
	blocks = append(blocks, slack.NewContextBlock("", md(escape(note)+" · <@"+c.user+">")))
	text := clip(escape(note), maxFallbackRunes)
	var err error
	switch {
	case c.responseURL != "" && (c.ephemeral || c.ts == ""):
		// An ephemeral message can only be replaced through its response_url.
		err = a.retryRate(ctx, paceKey(c.channel, c.user), func() error {
			return a.respond(ctx, c.responseURL, &slack.WebhookMessage{Text: text,
				Blocks: &slack.Blocks{BlockSet: blocks}, ReplaceOriginal: true})
		})
	case c.channel != "" && c.ts != "":
		err = a.retryRate(ctx, paceKey(c.channel, c.user), func() error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, c.channel, c.ts,
				slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
			return wrap("chat.update", err)
		})
	}
	if err != nil {
		a.log.Warn("clicked message not updated", "channel", c.channel, "err", err)
	}
}

// keepBlocks is a message's blocks without its buttons, and short enough
// to leave room for the note.
func keepBlocks(in []slack.Block) []slack.Block {
	var out []slack.Block
	for _, b := range in {
		if b.BlockType() == slack.MBTAction || len(out) >= maxBlocks-1 {
			continue
		}
		out = append(out, b)
	}
	return out
}
