package slackfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// Payloads as Slack sends them, to push over Socket Mode (Server.Push)
// or, JSON-encoded (slash commands form-encoded) and signed with Sign,
// to post to the adapter's HTTP endpoints.

// eventTime is every event's event_time: when the ts of MessageEvent is.
const eventTime = 1700000001

// Sign is what Slack puts in X-Slack-Signature for body sent at ts (Unix
// seconds, as in X-Slack-Request-Timestamp), signed with the app's
// signing secret.
func Sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// MessageEvent is an Events API callback of a message event by user in
// channel (a channel starting with "D" is a DM). extra sets or overrides
// fields of the event: "ts", "thread_ts", "bot_id", "subtype"…
func MessageEvent(eventID, channel, user, text string, extra map[string]any) map[string]any {
	ev := map[string]any{"type": "message", "channel": channel, "user": user, "text": text,
		"ts": "1700000001.000100", "event_ts": "1700000001.000100", "channel_type": "channel"}
	if strings.HasPrefix(channel, "D") {
		ev["channel_type"] = "im"
	}
	for k, v := range extra {
		ev[k] = v
	}
	return Callback(eventID, ev)
}

// Callback wraps an event (app_mention, reaction_added…) in an Events
// API event_callback.
func Callback(eventID string, inner map[string]any) map[string]any {
	return map[string]any{"token": "legacy", "team_id": TeamID, "api_app_id": AppID, "type": "event_callback",
		"event_id": eventID, "event_time": eventTime, "event": inner}
}

// SlashPayload is user typing "/collab text" in channel. Its values are
// all strings, as the form Slack posts to a slash command's URL.
func SlashPayload(user, channel, text, trigger, responseURL string) map[string]any {
	return map[string]any{"token": "legacy", "team_id": TeamID, "channel_id": channel, "channel_name": "collab",
		"user_id": user, "user_name": strings.ToLower(user), "command": "/collab", "text": text,
		"response_url": responseURL, "trigger_id": trigger, "api_app_id": AppID}
}

// ClickPayload is a block_actions payload: user clicking the button
// labelled (in part) label of a posted message. The test fails if the
// message has no such button.
func ClickPayload(t testing.TB, p Posted, label, user, trigger, responseURL string) map[string]any {
	t.Helper()
	id, value, text, ok := p.Button(label)
	if !ok {
		t.Fatalf("no button %q in %s", label, p.Render())
	}
	return map[string]any{"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": trigger,
		"api_app_id": AppID, "team": map[string]any{"id": TeamID}, "response_url": responseURL,
		"container": map[string]any{"type": "message", "message_ts": p.TS, "channel_id": p.Channel, "is_ephemeral": false},
		"channel":   map[string]any{"id": p.Channel},
		"message":   map[string]any{"ts": p.TS, "text": p.Text, "blocks": p.Blocks},
		"actions": []any{map[string]any{"type": "button", "action_id": id, "block_id": "b", "value": value,
			"action_ts": "1700000002.000200", "text": map[string]any{"type": "plain_text", "text": text}}}}
}

// SubmitPayload is a view_submission of an opened modal by user: state
// holds, by input block_id, the element's value as PlainText, Date,
// Pick, Picks or Users make it. The test fails if the modal has no input
// block of that id.
func SubmitPayload(t testing.TB, v OpenedView, user, trigger string, state map[string]map[string]any) map[string]any {
	t.Helper()
	values := map[string]any{}
	for block, act := range state {
		el := v.input(block)
		if el == nil {
			t.Fatalf("no input %q in the modal: %s", block, v.Render())
		}
		// Slack keys a value by the block's id and its element's action_id.
		id, _ := el["action_id"].(string)
		values[block] = map[string]any{id: act}
	}
	view := map[string]any{}
	for k, x := range v.View {
		view[k] = x
	}
	view["id"], view["hash"], view["state"] = "V-"+trigger, "h1", map[string]any{"values": values}
	return map[string]any{"type": "view_submission", "user": map[string]any{"id": user}, "trigger_id": trigger,
		"api_app_id": AppID, "team": map[string]any{"id": TeamID}, "view": view}
}

// PlainText is the state of a plain_text_input holding v.
func PlainText(v string) map[string]any {
	return map[string]any{"type": "plain_text_input", "value": v}
}

// Date is the state of a datepicker set to v (YYYY-MM-DD).
func Date(v string) map[string]any { return map[string]any{"type": "datepicker", "selected_date": v} }

// Pick is the state of a static_select with option value v selected.
func Pick(v string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}
}

// Picks is the state of a multi_static_select with option values vs
// selected.
func Picks(vs ...string) map[string]any {
	var opts []any
	for _, v := range vs {
		opts = append(opts, map[string]any{"value": v})
	}
	return map[string]any{"type": "multi_static_select", "selected_options": opts}
}

// Users is the state of a multi_users_select with user ids us selected.
func Users(us ...string) map[string]any {
	return map[string]any{"type": "multi_users_select", "selected_users": us}
}

// SharedFile is a file as a message event's "files" array carries it
// (message subtype file_share, app_mention): its id, name, size and the
// permalink people open it by. Put a list of them under extra["files"].
func SharedFile(id, name string, size int) map[string]any {
	return map[string]any{"id": id, "name": name, "title": name, "size": size, "mimetype": "application/pdf",
		"url_private": "https://files.slack.com/files-pri/" + TeamID + "-" + id + "/" + name,
		"permalink":   "https://fake.slack.com/files/U0/" + id + "/" + name}
}
