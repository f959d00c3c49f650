package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody caps a request from Slack; events are a few KB, and a pasted
// form that the engine will refuse anyway fits with room to spare.
const maxBody = 1 << 20

// Routes are the HTTP endpoints of the Events API transport, for serve's
// listener: events, the slash command and interactivity. Every request is
// verified with the signing secret before anything reads it.
func (a *Adapter) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"/slack/events":       a.verified(a.serveEvents),
		"/slack/commands":     a.verified(a.serveCommand),
		"/slack/interactions": a.verified(a.serveInteraction),
	}
}

// Mount adds Routes to mux.
func (a *Adapter) Mount(mux *http.ServeMux) {
	for path, h := range a.Routes() {
		mux.Handle(path, h)
	}
}

// verified reads a request's body (capped) and checks its signature; a
// request that fails is answered 401 and goes no further.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), receivedKey{}, time.Now()))
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if a.opts.SigningSecret == "" {
			http.Error(w, "slack events over HTTP are not configured", http.StatusNotFound)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if err := verify(a.opts.SigningSecret, r.Header, body, a.opts.Clock.Now()); err != nil {
			a.log.Info("slack request rejected", "path", r.URL.Path, "reason", err)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	})
}

// receivedKey holds when a request arrived, so the ack latency includes
// reading and verifying it.
type receivedKey struct{}

// httpAck answers the request that carried an event: 200 with the payload
// as JSON once it is recorded; otherwise an error status so that Slack
// delivers the event again (its Events API retries any non-2xx answer,
// three times over about five minutes): 503 when the store could not
// record it in time (overload), 500 when it failed. Slash commands and
// interactions are not retried by Slack: the person sees that the command
// or click failed and tries again.
func (a *Adapter) httpAck(w http.ResponseWriter, r *http.Request) acker {
	return func(ok bool, payload any) {
		if _, busy := payload.(overloaded); busy {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy, not recorded: try again", http.StatusServiceUnavailable)
			return
		}
		if !ok {
			http.Error(w, "not recorded, try again", http.StatusInternalServerError)
			return
		}
		if at, ok := r.Context().Value(receivedKey{}).(time.Time); ok {
			a.acked(at)
		}
		if payload == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(payload)
	}
}

func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// An event type slack-go does not know: nothing for the bot, and
		// a 200 stops Slack from sending it again.
		a.log.Debug("slack event not understood", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		uv, _ := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if uv == nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"challenge": uv.Challenge})
	case slackevents.CallbackEvent:
		cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
		if cb == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
			a.log.Debug("slack redelivered an event", "event", cb.EventID, "attempt", n,
				"reason", r.Header.Get("X-Slack-Retry-Reason"))
		}
		self, err := a.whoami(r.Context())
		if err != nil {
			a.log.Warn("cannot tell the bot's own messages apart", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		if !a.admit(r.Context(), self, "event", ev.TeamID, ev.EnterpriseID) {
			w.WriteHeader(http.StatusOK) // acknowledged, so Slack does not retry it
			return
		}
		a.callback(r.Context(), self, cb.EventID, ev.InnerEvent.Data, a.httpAck(w, r))
	case slackevents.AppRateLimited:
		a.log.Warn("slack is dropping events: the app is rate limited")
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if form.Get("ssl_check") != "" { // Slack checking the certificate
		w.WriteHeader(http.StatusOK)
		return
	}
	self, err := a.whoami(r.Context())
	if err != nil {
		// Without its own team the bot cannot tell whose command this is.
		a.log.Warn("slash command before the bot is identified", "err", err)
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	if !a.admit(r.Context(), self, "command", form.Get("team_id"), form.Get("enterprise_id")) {
		w.WriteHeader(http.StatusOK)
		return
	}
	cmd := slack.SlashCommand{TeamID: form.Get("team_id"), EnterpriseID: form.Get("enterprise_id"), ChannelID: form.Get("channel_id"),
		ChannelName: form.Get("channel_name"), UserID: form.Get("user_id"), UserName: form.Get("user_name"),
		Command: form.Get("command"), Text: form.Get("text"), ResponseURL: form.Get("response_url"),
		TriggerID: form.Get("trigger_id"), APIAppID: form.Get("api_app_id")}
	if cmd.UserID == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	a.onSlash(r.Context(), a.fromSlash(r.Context(), self, cmd), a.httpAck(w, r))
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var ic slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &ic); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	self, err := a.whoami(r.Context())
	if err != nil {
		a.log.Warn("interaction before the bot is identified", "err", err)
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	if !a.admit(r.Context(), self, "interaction", ic.Team.ID, ic.Enterprise.ID) {
		w.WriteHeader(http.StatusOK)
		return
	}
	a.interaction(r.Context(), &ic, a.httpAck(w, r))
}
