package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is a local Slack: the Web API methods the adapter calls, a
// response_url endpoint, and a Socket Mode websocket that pushes
// envelopes and records acks. It checks every message against Block
// Kit's limits, as Slack would, and fails the test on a violation.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	calls    []apiCall
	posts    []posted
	views    []openedView
	throttle map[string]int    // method -> Retry-After seconds for its next call
	failures map[string]string // method -> the error its next call returns
	users    map[string]string
	seq      int
	changed  chan struct{} // closed and replaced on every recorded change

	conn  *websocket.Conn // the Socket Mode client, once connected
	wmu   sync.Mutex      // gorilla's writes are not concurrent
	acks  map[string]json.RawMessage
	acked map[string]time.Time // when each ack arrived
	ackIn chan ackRec
	done  chan struct{} // closed when the test is over
	conns int
}

type apiCall struct {
	Method string
	Form   url.Values
}

// posted is a message as Slack received it: by chat.postMessage,
// chat.postEphemeral, chat.update or a response_url.
type posted struct {
	Method, Channel, User, TS, Thread, Text string
	Blocks                                  []map[string]any
	ResponseType                            string
	Replace                                 bool
}

type openedView struct {
	Trigger string
	View    map[string]any
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, throttle: map[string]int{}, failures: map[string]string{}, acks: map[string]json.RawMessage{}, acked: map[string]time.Time{},
		users: map[string]string{}, changed: make(chan struct{}), ackIn: make(chan ackRec, 1<<16), done: make(chan struct{})}
	go f.recordAcks()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.api)
	mux.HandleFunc("/hooks/", f.hook)
	mux.HandleFunc("/ws", f.socket)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.close)
	return f
}

func (f *fakeSlack) close() {
	defer close(f.done)
	f.wmu.Lock()
	if f.conn != nil {
		f.conn.Close()
	}
	f.wmu.Unlock()
	f.srv.Close()
}

// url is the Web API base the adapter is configured with.
func (f *fakeSlack) url() string { return f.srv.URL + "/api/" }

// hookURL is a response_url on this server.
func (f *fakeSlack) hookURL(name string) string { return f.srv.URL + "/hooks/" + name }

// notify wakes everyone waiting for a change; call with mu held.
func (f *fakeSlack) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// waitFor polls cond under the lock until it holds, failing the test
// after a generous deadline (a loaded 2-core machine is slow, not wrong).
func (f *fakeSlack) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ok, ch := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			f.t.Fatalf("fake slack: timed out waiting for %s", what)
		}
	}
}

func (f *fakeSlack) setThrottle(method string, seconds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle[method] = seconds
}

func (f *fakeSlack) fail(method, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = code
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		form = url.Values{"json": {string(body)}}
	}
	var blocks []map[string]any
	var problems []string
	if raw := form.Get("blocks"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
			problems = []string{"blocks are not JSON: " + err.Error()}
		} else {
			problems = checkBlocks(blocks)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, apiCall{method, form})
	defer f.notify()
	if secs := f.throttle[method]; secs > 0 {
		delete(f.throttle, method)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if code := f.failures[method]; code != "" {
		delete(f.failures, method)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
		return
	}
	out := map[string]any{"ok": true}
	switch method {
	case "auth.test":
		out["user_id"], out["bot_id"], out["team_id"], out["user"] = "UBOT", "BBOT", "T1", "collabot"
	case "apps.connections.open":
		if r.Header.Get("Authorization") != "Bearer xapp-test" {
			out = map[string]any{"ok": false, "error": "invalid_auth"}
			break
		}
		out["url"] = "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
		p := f.message(method, form, blocks)
		if len(problems) > 0 {
			f.t.Errorf("%s: invalid blocks: %v", method, problems)
			out = map[string]any{"ok": false, "error": "invalid_blocks"}
			break
		}
		f.posts = append(f.posts, p)
		out["channel"], out["ts"], out["message_ts"] = p.Channel, p.TS, p.TS
	case "conversations.open":
		out["channel"] = map[string]any{"id": "D" + strings.TrimPrefix(form.Get("users"), "U")}
	case "views.open":
		var req struct {
			TriggerID string         `json:"trigger_id"`
			View      map[string]any `json:"view"`
		}
		_ = json.Unmarshal(body, &req)
		if problems := checkModal(req.View); len(problems) > 0 {
			f.t.Errorf("views.open: invalid view: %v", problems)
			out = map[string]any{"ok": false, "error": "invalid_arguments"}
			break
		}
		f.views = append(f.views, openedView{req.TriggerID, req.View})
		out["view"] = map[string]any{"id": "V" + strconv.Itoa(len(f.views))}
	case "users.info":
		id := form.Get("user")
		name := f.users[id]
		if name == "" {
			name = "Guest " + id
		}
		out["user"] = map[string]any{"id": id, "name": strings.ToLower(id), "real_name": name,
			"profile": map[string]any{"display_name": name, "real_name": name}}
	default:
		out = map[string]any{"ok": false, "error": "unknown_method"}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// message records a posted message.
func (f *fakeSlack) message(method string, form url.Values, blocks []map[string]any) posted {
	f.seq++
	p := posted{Method: method, Channel: form.Get("channel"), User: form.Get("user"), Thread: form.Get("thread_ts"),
		Text: form.Get("text"), TS: fmt.Sprintf("1700000000.%06d", f.seq), Blocks: blocks}
	if method == "chat.update" {
		p.TS = form.Get("ts")
	}
	return p
}

func (f *fakeSlack) hook(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text            string           `json:"text"`
		Blocks          []map[string]any `json:"blocks"`
		ResponseType    string           `json:"response_type"`
		ReplaceOriginal bool             `json:"replace_original"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	if problems := checkBlocks(msg.Blocks); len(problems) > 0 {
		f.t.Errorf("response_url: invalid blocks: %v", problems)
		http.Error(w, "invalid_blocks", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.posts = append(f.posts, posted{Method: "response_url", Channel: strings.TrimPrefix(r.URL.Path, "/hooks/"),
		Text: msg.Text, Blocks: msg.Blocks, ResponseType: msg.ResponseType, Replace: msg.ReplaceOriginal})
	f.notify()
	_, _ = io.WriteString(w, "ok")
}

// socket is the Socket Mode endpoint: hello, then envelopes pushed by the
// test; acks are recorded by envelope id. It pings, as Slack does, so the
// client's dead-connection timer stays quiet.
func (f *fakeSlack) socket(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
		return r.Header.Get("Origin") == "https://api.slack.com"
	}}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.wmu.Lock()
	err = conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A1"}, "debug_info": map[string]any{"host": "fake"}})
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
func (f *fakeSlack) recordAcks() {
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

// push sends an envelope over Socket Mode and returns its id.
func (f *fakeSlack) push(kind string, payload any) string {
	f.t.Helper()
	f.waitFor("a socket mode connection", func() bool { return f.conn != nil })
	return f.pushAs(kind, payload, 0, "")
}

// pushAs sends an envelope with a given retry attempt and, when id is not
// empty, the envelope id of an earlier delivery.
func (f *fakeSlack) pushAs(kind string, payload any, retry int, id string) string {
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

// ack waits for the ack of envelope id and returns its payload.
func (f *fakeSlack) ack(id string) json.RawMessage {
	f.t.Helper()
	var p json.RawMessage
	f.waitFor("the ack of "+id, func() bool {
		var ok bool
		p, ok = f.acks[id]
		return ok
	})
	return p
}

// postsTo are the messages posted to channel so far.
func (f *fakeSlack) postsTo(channel string) []posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []posted
	for _, p := range f.posts {
		if p.Channel == channel {
			out = append(out, p)
		}
	}
	return out
}

// waitPost waits until a message to channel contains text, and returns it.
func (f *fakeSlack) waitPost(channel, text string) posted {
	f.t.Helper()
	var found posted
	f.waitFor(fmt.Sprintf("a message to %s with %q", channel, text), func() bool {
		for _, p := range f.posts {
			if p.Channel == channel && strings.Contains(p.Text+render(p.Blocks), text) {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

func (f *fakeSlack) waitView(trigger string) openedView {
	f.t.Helper()
	var v openedView
	f.waitFor("views.open with trigger "+trigger, func() bool {
		for _, x := range f.views {
			if x.Trigger == trigger {
				v = x
				return true
			}
		}
		return false
	})
	return v
}

func (f *fakeSlack) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

// render flattens blocks to their texts, for assertions.
func render(blocks []map[string]any) string {
	b, _ := json.Marshal(blocks)
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				texts = append(texts, s)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var generic any
	_ = json.Unmarshal(b, &generic)
	walk(generic)
	return strings.Join(texts, "\n")
}

// button finds a button by (part of) its label in a posted message.
func (p posted) button(label string) (actionID, value, text string, ok bool) {
	for _, b := range p.Blocks {
		if b["type"] != "actions" {
			continue
		}
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			t, _ := el["text"].(map[string]any)
			txt, _ := t["text"].(string)
			if strings.Contains(txt, label) {
				return el["action_id"].(string), el["value"].(string), txt, true
			}
		}
	}
	return "", "", "", false
}

func (p posted) hasButtons() bool {
	for _, b := range p.Blocks {
		if b["type"] == "actions" {
			return true
		}
	}
	return false
}
