// Package dingtest is a fake DingTalk on 127.0.0.1, a test-support
// package (like net/http/httptest) for the tests of any package that runs
// the DingTalk adapter: the Stream gateway (connection endpoint and
// websocket, with system frames, callback frames, acknowledgements and
// redelivery of what is not acknowledged), the session webhook, and the
// OpenAPI endpoints the adapter calls (access token, 1:1 and group robot
// messages, files sent to the robot resolved to links — files.go —,
// interactive cards created, delivered and updated — see
// cards.go, whose Press builds a card click's callback), with switches for throttling, token expiry and refused
// credentials. It speaks the wire formats, so the real SDK client runs
// against it, and it checks what the robot sends the way DingTalk does:
// an unknown template or a malformed message fails the call. Only tests
// should import it.
package dingtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fake is one DingTalk organisation with one robot.
type Fake struct {
	URL          string // the OpenAPI host: the adapter's APIURL
	ClientID     string
	ClientSecret string
	RobotCode    string
	BotID        string // the robot's dingtalkId in atUsers (chatbotUserId)
	// CorpID is the organisation's corpId, which frames carry as
	// chatbotCorpId and senderCorpId (a card click as corpId).
	CorpID string

	srv  *httptest.Server
	now  func() time.Time
	quit chan struct{} // closed by Close

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	state
}

// state is everything the fake records, guarded by Fake.mu.
type state struct {
	tokenLife  time.Duration
	ackTimeout time.Duration
	tokens     map[string]time.Time // valid access tokens and their expiry
	tokenCalls int
	tickets    map[string]bool
	conn       *stream // the current stream connection
	connects   int
	subs       []string // topics subscribed at the last connection
	pending    map[string]*pending
	acks       map[string]int // callback frames acknowledged with code 200
	nacks      map[string]int
	sessions   map[string]string // session webhook id → conversation
	sent       []Message
	batchSends [][]string // the userIds of every oToMessages/batchSend call the fake took in, throttled ones too
	throttle   int        // how many next robot sends are refused as throttled
	throttleAs string     // "429", "qps" (HTTP 403 code) or "flow" (flowControlledStaffIdList)
	hookLimit  int        // how many next session-webhook posts answer errcode 130101
	deliveries int        // callback frames written, redeliveries included
	seq        int
	latency    time.Duration         // how long a robot send takes to answer, after it took effect
	*cardState                       // cards.go
	files      map[string]sharedFile // download codes of files sent to the robot (files.go)
	downloads  int
}

// Message is what the robot sent, by whichever way.
type Message struct {
	Via          string   // "webhook", "oto" or "group"
	Conversation string   // the group or session's conversation; "" for oto
	Session      string   // the session webhook used, "" for the OpenAPI
	Users        []string // oto recipients
	MsgKey       string   // OpenAPI template, or the webhook's msgtype
	Title, Text  string
	Buttons      []Button
}

// Button is an action card button.
type Button struct{ Title, URL string }

// Button finds one of m's buttons by the start of its title.
func (m Message) Button(title string) (Button, bool) {
	for _, b := range m.Buttons {
		if strings.HasPrefix(b.Title, title) {
			return b, true
		}
	}
	return Button{}, false
}

// SentTo is what of msgs went 1:1 to staff by the OpenAPI (batchSend).
func SentTo(msgs []Message, staff string) []Message {
	var out []Message
	for _, m := range msgs {
		if m.Via == "oto" && slices.Contains(m.Users, staff) {
			out = append(out, m)
		}
	}
	return out
}

// New starts a fake DingTalk; it is closed when the test ends. now is
// its clock for token and session-webhook expiry (nil for wall time).
func New(t testing.TB, now func() time.Time) *Fake {
	if now == nil {
		now = time.Now
	}
	f := &Fake{ClientID: "dingtestapp", ClientSecret: "s3cr3t-client-secret-do-not-log", RobotCode: "dingtestapp",
		BotID: "$:LWCP_v1:$bot", CorpID: "dingcorp", now: now, changed: make(chan struct{}), quit: make(chan struct{})}
	f.state = state{tokenLife: 2 * time.Hour, tokens: map[string]time.Time{}, tickets: map[string]bool{},
		pending: map[string]*pending{}, acks: map[string]int{}, nacks: map[string]int{}, sessions: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.0/gateway/connections/open", f.open)
	mux.HandleFunc("GET /stream", f.stream)
	mux.HandleFunc("POST /v1.0/oauth2/accessToken", f.accessToken)
	mux.HandleFunc("POST /v1.0/robot/oToMessages/batchSend", f.robotSend("oto"))
	mux.HandleFunc("POST /v1.0/robot/groupMessages/send", f.robotSend("group"))
	mux.HandleFunc("POST /robot/sendBySession", f.sessionWebhook)
	registerContacts(t, f, mux) // contacts.go
	registerCards(f, mux)       // cards.go
	registerFiles(f, mux)       // files.go
	f.srv = httptest.NewServer(mux)
	f.URL = f.srv.URL
	t.Cleanup(f.Close)
	return f
}

// Close drops the stream and stops the server.
func (f *Fake) Close() {
	f.mu.Lock()
	c := f.conn
	select {
	case <-f.quit:
	default:
		close(f.quit)
	}
	f.mu.Unlock()
	if c != nil {
		c.close()
	}
	f.srv.CloseClientConnections()
	f.srv.Close()
}

// touch wakes whoever waits for a change; call with mu held.
func (f *Fake) touch() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// WaitFor waits until cond (called with the fake's lock held) is true,
// failing the test after a generous deadline.
func (f *Fake) WaitFor(t testing.TB, what string, cond func(s *View) bool) {
	t.Helper()
	deadline := time.NewTimer(60 * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ok := cond(&View{f: f})
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("dingtest: timed out waiting for %s", what)
		}
	}
}

// View reads the fake's state inside WaitFor or Read.
type View struct{ f *Fake }

func (v *View) Acked(id string) int     { return v.f.acks[id] }
func (v *View) Nacked(id string) int    { return v.f.nacks[id] }
func (v *View) Connects() int           { return v.f.connects }
func (v *View) Connected() bool         { return v.f.conn != nil }
func (v *View) TokenCalls() int         { return v.f.tokenCalls }
func (v *View) Deliveries() int         { return v.f.deliveries }
func (v *View) Subscriptions() []string { return append([]string(nil), v.f.subs...) }
func (v *View) Sent() []Message         { return append([]Message(nil), v.f.sent...) }

// Read calls fn with the fake's state.
func (f *Fake) Read(fn func(v *View)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(&View{f: f})
}

// Sent is every message the robot sent so far.
func (f *Fake) Sent() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.sent...)
}

// BatchSends are the user lists of the oToMessages/batchSend calls the
// fake took in, in order, refused (throttled) ones included: one entry
// per call, however many people it named.
func (f *Fake) BatchSends() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([][]string, len(f.batchSends))
	for i, u := range f.batchSends {
		out[i] = slices.Clone(u)
	}
	return out
}

// TokenCalls is how many access tokens were handed out.
func (f *Fake) TokenCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenCalls
}

// SetTokenLife sets the expireIn of the next access tokens.
func (f *Fake) SetTokenLife(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenLife = d
}

// RevokeTokens invalidates every access token handed out, as DingTalk does
// when a token is replaced or expires early.
func (f *Fake) RevokeTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// Throttle makes the next n robot sends answer with flow control: "429"
// (HTTP 429 with Retry-After: 7), "qps" (HTTP 403,
// Forbidden.AccessDenied.QpsLimitForApi) or "flow" (HTTP 200 naming the
// recipients in flowControlledStaffIdList).
func (f *Fake) Throttle(n int, as string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle, f.throttleAs = n, as
}

// LimitWebhook makes the next n session-webhook posts answer errcode
// 130101 inside an HTTP 200.
func (f *Fake) LimitWebhook(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hookLimit = n
}

// SetLatency makes every robot send answer d late, after it took effect,
// as a DingTalk that has delivered a message and is slow to say so: a
// client that dies while waiting has still sent it.
func (f *Fake) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// SetAckTimeout makes the gateway redeliver a callback frame not
// acknowledged within d (0, the default, never redelivers by time; frames
// left pending are still redelivered on the next connection).
func (f *Fake) SetAckTimeout(d time.Duration) {
	f.mu.Lock()
	f.ackTimeout = d
	f.mu.Unlock()
	if d > 0 {
		go f.redeliver(d)
	}
}

func (f *Fake) nextID(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s%06d", prefix, f.seq)
}

func readJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *Fake) accessToken(w http.ResponseWriter, r *http.Request) {
	var in struct{ AppKey, AppSecret string }
	if err := readJSON(r, &in); err != nil {
		writeJSON(w, 400, map[string]string{"code": "invalidParameter", "message": err.Error()})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.AppKey != f.ClientID || in.AppSecret != f.ClientSecret {
		writeJSON(w, 400, map[string]string{"code": "invalidClientSecret", "message": "clientId or clientSecret is wrong"})
		return
	}
	f.tokenCalls++
	tok := f.nextID("tok-")
	f.tokens[tok] = f.now().Add(f.tokenLife)
	f.touch()
	writeJSON(w, 200, map[string]any{"accessToken": tok, "expireIn": int(f.tokenLife / time.Second)})
}

// robotSend serves oToMessages/batchSend ("oto") and groupMessages/send.
func (f *Fake) robotSend(via string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			RobotCode          string   `json:"robotCode"`
			UserIDs            []string `json:"userIds"`
			OpenConversationID string   `json:"openConversationId"`
			MsgKey             string   `json:"msgKey"`
			MsgParam           string   `json:"msgParam"`
		}
		if err := readJSON(r, &in); err != nil {
			writeJSON(w, 400, map[string]string{"code": "invalidParameter", "message": err.Error()})
			return
		}
		var slow time.Duration
		defer func() { time.Sleep(slow) }() // after the unlock below
		f.mu.Lock()
		defer f.mu.Unlock()
		slow = f.latency
		exp, ok := f.tokens[r.Header.Get("x-acs-dingtalk-access-token")]
		if !ok || !f.now().Before(exp) {
			writeJSON(w, 401, map[string]string{"code": "InvalidAuthentication", "message": "不合法的access_token"})
			return
		}
		m, err := parseTemplate(in.MsgKey, in.MsgParam)
		switch {
		case err != nil:
		case in.RobotCode != f.RobotCode:
			err = fmt.Errorf("unknown robotCode %q", in.RobotCode)
		case via == "oto" && (len(in.UserIDs) == 0 || len(in.UserIDs) > 20):
			err = fmt.Errorf("userIds must hold 1 to 20 ids, not %d", len(in.UserIDs))
		case via == "group" && in.OpenConversationID == "":
			err = fmt.Errorf("openConversationId is required")
		}
		if err != nil {
			writeJSON(w, 400, map[string]string{"code": "invalidParameter", "message": err.Error()})
			return
		}
		if via == "oto" {
			f.batchSends = append(f.batchSends, slices.Clone(in.UserIDs))
		}
		if f.throttle > 0 {
			f.throttle--
			f.touch()
			switch f.throttleAs {
			case "429":
				w.Header().Set("Retry-After", "7")
				writeJSON(w, 429, map[string]string{"code": "Throttling", "message": "too many requests"})
				return
			case "flow":
				if via == "oto" {
					writeJSON(w, 200, map[string]any{"processQueryKey": f.nextID("pqk-"), "flowControlledStaffIdList": in.UserIDs})
					return
				}
			}
			writeJSON(w, 403, map[string]string{"code": "Forbidden.AccessDenied.QpsLimitForApi", "message": "请求过于频繁"})
			return
		}
		m.Via, m.Conversation, m.Users = via, in.OpenConversationID, in.UserIDs
		f.sent = append(f.sent, m)
		f.touch()
		writeJSON(w, 200, map[string]any{"processQueryKey": f.nextID("pqk-")})
	}
}

// parseTemplate checks an OpenAPI message the way DingTalk does: a known
// msgKey and a msgParam holding that template's fields.
func parseTemplate(key, param string) (Message, error) {
	var p map[string]string
	if err := json.Unmarshal([]byte(param), &p); err != nil {
		return Message{}, fmt.Errorf("msgParam is not a JSON object of strings: %w", err)
	}
	m := Message{MsgKey: key, Title: p["title"], Text: p["text"]}
	switch key {
	case "sampleMarkdown":
	case "sampleActionCard":
		m.Buttons = []Button{{p["singleTitle"], p["singleURL"]}}
	case "sampleActionCard2", "sampleActionCard3", "sampleActionCard4", "sampleActionCard5":
		n := int(key[len(key)-1] - '0')
		for i := 1; i <= n; i++ {
			b := Button{p[fmt.Sprintf("actionTitle%d", i)], p[fmt.Sprintf("actionURL%d", i)]}
			if b.Title == "" || b.URL == "" {
				return Message{}, fmt.Errorf("%s lacks button %d", key, i)
			}
			m.Buttons = append(m.Buttons, b)
		}
	default:
		return Message{}, fmt.Errorf("unknown msgKey %q", key)
	}
	if m.Title == "" || m.Text == "" {
		return Message{}, fmt.Errorf("%s needs a title and a text", key)
	}
	return m, nil
}

// sessionWebhook serves the sessionWebhook of robot callbacks: the
// custom-robot format, errors as an errcode inside an HTTP 200.
func (f *Fake) sessionWebhook(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Msgtype  string `json:"msgtype"`
		Markdown struct {
			Title, Text string
		} `json:"markdown"`
		ActionCard struct {
			Title, Text string
			Btns        []struct {
				Title     string `json:"title"`
				ActionURL string `json:"actionURL"`
			} `json:"btns"`
		} `json:"actionCard"`
	}
	if err := readJSON(r, &in); err != nil {
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "invalid JSON"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	session := r.URL.Query().Get("session")
	conv, ok := f.sessions[session]
	if !ok {
		writeJSON(w, 200, map[string]any{"errcode": 300001, "errmsg": "session not found"})
		return
	}
	if f.hookLimit > 0 {
		f.hookLimit--
		f.touch()
		writeJSON(w, 200, map[string]any{"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
		return
	}
	m := Message{Via: "webhook", Conversation: conv, Session: session, MsgKey: in.Msgtype}
	switch in.Msgtype {
	case "markdown":
		m.Title, m.Text = in.Markdown.Title, in.Markdown.Text
	case "actionCard":
		m.Title, m.Text = in.ActionCard.Title, in.ActionCard.Text
		for _, b := range in.ActionCard.Btns {
			m.Buttons = append(m.Buttons, Button{b.Title, b.ActionURL})
		}
	default:
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "unsupported msgtype " + in.Msgtype})
		return
	}
	if strings.TrimSpace(m.Text) == "" {
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "empty text"})
		return
	}
	f.sent = append(f.sent, m)
	f.touch()
	writeJSON(w, 200, map[string]any{"errcode": 0, "errmsg": "ok"})
}
