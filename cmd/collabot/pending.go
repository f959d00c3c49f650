package main

import (
	"context"
	"errors"
)

// serve is the long-running service. Its scheduler (scheduler.Runner) and
// dispatcher (internal/dispatch) are built; the Slack and DingTalk
// adapters they deliver through are wired in with issues 5 and 6, so until
// then serve says plainly what works instead of running a bot nobody can
// reach.
func serve(_ context.Context, e *env, args []string) error {
	if _, err := e.flags("serve", args, nil); err != nil {
		return err
	}
	if e.cfg.Slack.BotToken == "" && e.cfg.DingTalk.ClientID == "" {
		return errors.New("no chat platform is configured (set COLLABOT_SLACK_BOT_TOKEN with COLLABOT_SLACK_APP_TOKEN, " +
			"or COLLABOT_DINGTALK_CLIENT_ID with COLLABOT_DINGTALK_CLIENT_SECRET). " +
			"To try collabot without any account, run `collabot chat`; `collabot tick` runs the scheduler once")
	}
	return errors.New("not yet available: this build has the engine, the scheduler and the dispatcher, but the Slack and " +
		"DingTalk adapters are not wired into serve yet. Use `collabot chat` and `collabot tick` meanwhile")
}
