package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// socket is the Socket Mode endpoint: hello, then envelopes pushed by the
// test; acks are recorded by envelope id. It pings, as Slack does, so the
// client's dead-connection timer stays quiet.
func (f *Server) socket(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
		return r.Header.Get("Origin") == "https://api.slack.com"
	}}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.wmu.Lock()
	err = conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": AppID}, "debug_info": map[string]any{"host": "fake"}})
	f.wmu.Unlock()
	if err != nil {
		return
	}
	f.mu.Lock()
	f.conn = conn
	f.conns++
	f.notify()
	f.mu.Unlock()
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				f.wmu.Lock()
				err := conn.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second))
				f.wmu.Unlock()
				if err != nil {
					return
				}
			}
		}
	}()
	defer close(stop)
	for {
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := conn.ReadJSON(&ack); err != nil {
			return
		}
		// Stamped on arrival, and recorded without waiting for the lock
		// the Web API handlers hold, so the fake measures the adapter.
		if ack.Payload == nil {
			ack.Payload = json.RawMessage("null")
		}
		select {
		case f.ackIn <- ackRec{ack.EnvelopeID, ack.Payload, time.Now()}:
		case <-f.done:
			return
		}
	}
}

type ackRec struct {
	id      string
	payload json.RawMessage
	at      time.Time
}

// recordAcks files acks as they arrive.
func (f *Server) recordAcks() {
	for {
		var a ackRec
		select {
		case a = <-f.ackIn:
		case <-f.done:
			return
		}
		f.mu.Lock()
		f.acks[a.id] = a.payload
		f.acked[a.id] = a.at
		f.notify()
		f.mu.Unlock()
	}
}

// Push waits for a Socket Mode connection, sends an envelope of kind
// ("events_api", "slash_commands", "interactive") carrying payload, and
// returns its envelope id.
func (f *Server) Push(kind string, payload any) string {
	f.t.Helper()
	f.WaitFor("a socket mode connection", func(s *State) bool { return s.Connected() })
	return f.PushAs(kind, payload, 0, "")
}

// PushAs sends an envelope on the current connection with retry attempt
// retry and, when id is not empty, the envelope id of an earlier
// delivery. It does not wait for a connection.
func (f *Server) PushAs(kind string, payload any, retry int, id string) string {
	f.t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	if id == "" {
		f.seq++
		id = fmt.Sprintf("env-%d", f.seq)
	}
	conn := f.conn
	f.mu.Unlock()
	if conn == nil {
		f.t.Fatalf("push %s: no socket mode connection", kind)
	}
	env := map[string]any{"envelope_id": id, "type": kind, "payload": json.RawMessage(raw),
		"accepts_response_payload": kind != "events_api", "retry_attempt": retry}
	if retry > 0 {
		env["retry_reason"] = "timeout"
	}
	f.wmu.Lock()
	err = conn.WriteJSON(env)
	f.wmu.Unlock()
	if err != nil {
		f.t.Fatalf("push %s: %v", kind, err)
	}
	return id
}

// Ack waits for the ack of envelope id and returns its payload: "null"
// for an empty ack.
func (f *Server) Ack(id string) json.RawMessage {
	f.t.Helper()
	var p json.RawMessage
	f.WaitFor("the ack of "+id, func(s *State) bool {
		var ok bool
		p, ok = s.srv().acks[id]
		return ok
	})
	return p
}

// Acked waits up to d for the ack of envelope id and reports whether it
// came; unlike Ack, a missing ack is an answer, not a failure.
func (f *Server) Acked(id string, d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		_, ok := f.acks[id]
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// socketRetries is how often Slack delivers an unacknowledged events_api
// envelope again, and socketAckWait how long it waits for each ack.
const (
	socketRetries = 3
	socketAckWait = 3 * time.Second
)

// Settle waits for the ack of an envelope sent with Push as Slack does:
// an events_api envelope not acknowledged in time (a bot that refuses
// what it cannot record yet leaves it unacknowledged) is delivered again
// with the next retry attempt, three times at most; a command or a click
// is not (Slack shows the person an error instead). It reports whether
// the envelope was acknowledged in the end.
func (f *Server) Settle(kind string, payload any, id string) bool {
	f.t.Helper()
	for retry := 1; ; retry++ {
		if f.Acked(id, socketAckWait) {
			return true
		}
		if kind != "events_api" || retry > socketRetries {
			return false
		}
		f.PushAs(kind, payload, retry, id)
	}
}
