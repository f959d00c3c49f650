// Package slackfake is a local Slack on 127.0.0.1, a test-support package
// (like net/http/httptest) for the tests of any package that runs the
// Slack adapter against a real HTTP and websocket peer.
//
// It fakes the Web API methods the adapter calls (auth.test,
// apps.connections.open, chat.postMessage with metadata,
// chat.postEphemeral, chat.update, conversations.open,
// conversations.history and conversations.replies with
// include_all_metadata, views.open, users.info),
// response_url hooks, and a Socket Mode websocket that pushes envelopes
// the test hands it and records their acks. It can throttle (429 with
// Retry-After) or fail (ok:false with an error code) the next call of a
// method, and, once Enforce is called, enforce chat.postMessage's limits
// per channel and per workspace (limits.go).
//
// It checks what it receives as Slack would: every message's blocks
// against Block Kit's limits and every modal against views.open's. A
// violation is answered with Slack's error (invalid_blocks,
// invalid_arguments) and fails the test.
//
// The fake's platform: the bot is BotUserID in team TeamID; the DM
// channel of user "U…" is "D…" (U0ALICE's is D0ALICE); Socket Mode
// accepts only the app token AppToken; users.info names a user added by
// AddUser, or "Guest <id>".
//
// Only tests should import it.
package slackfake

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The fake workspace's identities.
const (
	AppToken  = "xapp-test" // the only app-level token apps.connections.open accepts
	BotToken  = "xoxb-test" // a bot token to configure; the fake does not check it
	BotUserID = "UBOT"      // auth.test's user_id: the bot as mentioned, <@UBOT>
	BotID     = "BBOT"
	TeamID    = "T1"
	AppID     = "A1"
)

// waitLimit is generous: a loaded 2-core machine is slow, not wrong.
const waitLimit = 20 * time.Second

// Server is one fake Slack workspace with one app installed.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	calls    []Call
	posts    []Posted
	views    []OpenedView
	homes    []PublishedHome   // views.publish, in order (home.go)
	throttle map[string]int    // method -> Retry-After seconds for its next call
	failures map[string]string // method -> the error its next call returns
	users    map[string]string
	uploads  map[string]*Upload // by file id, as files.getUploadURLExternal gave them out
	shared   []Upload           // completed uploads, in order
	seq      int
	changed  chan struct{} // closed and replaced on every recorded change

	latency    map[string]time.Duration // method -> how long its answer takes
	storm      time.Time                // every channel call is throttled until then
	stormAfter int                      // the storm's Retry-After, seconds
	held       map[string]time.Time     // channel -> end of the last Retry-After given for it
	early      []Early                  // calls that came before their channel's Retry-After ended
	throttled  int                      // 429s answered
	limits     *enforcer                // the rate limits Enforce set, if any
	httpConns  atomic.Int64             // HTTP connections opened to the fake
	lastTS     int64                    // the last message timestamp given, in microseconds

	conn  *websocket.Conn // the Socket Mode client, once connected
	wmu   sync.Mutex      // gorilla's writes are not concurrent
	acks  map[string]json.RawMessage
	acked map[string]time.Time // when each ack arrived
	ackIn chan ackRec
	done  chan struct{} // closed when the test is over
	conns int
	team  string // auth.test's team_id; TeamID unless SetTeam changed it
}

// SetTeam makes auth.test report another team id, as a second workspace
// (or one whose id a documented payload carries) would.
func (f *Server) SetTeam(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.team = id
}

// Upload is a file shared to a channel through the three-step upload.
type Upload struct {
	ID, Name, Title, Channel, Thread, Comment string
	Data                                      []byte
}

// Uploads are the files shared so far.
func (f *Server) Uploads() []Upload {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Upload(nil), f.shared...)
}

// Call is one Web API call as the fake received it. A JSON body (as
// views.open sends) is kept whole under Form["json"].
type Call struct {
	Method string
	Form   url.Values
}

// New starts a fake Slack; it is closed when the test ends.
func New(t testing.TB) *Server {
	f := &Server{t: t, throttle: map[string]int{}, failures: map[string]string{}, acks: map[string]json.RawMessage{},
		acked: map[string]time.Time{}, users: map[string]string{}, latency: map[string]time.Duration{}, held: map[string]time.Time{}, uploads: map[string]*Upload{}, changed: make(chan struct{}),
		ackIn: make(chan ackRec, 1<<16), done: make(chan struct{}), team: TeamID}
	go f.recordAcks()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.api)
	mux.HandleFunc("/hooks/", f.hook)
	mux.HandleFunc("/upload/", f.upload)
	mux.HandleFunc("/ws", f.socket)
	registerDirectory(f, mux) // directory.go
	f.srv = httptest.NewUnstartedServer(mux)
	f.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.httpConns.Add(1)
		}
	}
	f.srv.Start()
	t.Cleanup(f.close)
	return f
}

func (f *Server) close() {
	defer close(f.done)
	f.mu.Lock()
	conn := f.conn
	f.mu.Unlock()
	f.wmu.Lock()
	if conn != nil {
		conn.Close()
	}
	f.wmu.Unlock()
	f.srv.Close()
}

// HTTPConnections is how many HTTP connections clients have opened to
// the fake so far: a client that reuses its connections opens few.
func (f *Server) HTTPConnections() int { return int(f.httpConns.Load()) }

// URL is the Web API base to configure the adapter with (Options.APIURL,
// COLLABOT_SLACK_API_URL); it ends in a slash, as slack-go wants.
func (f *Server) URL() string { return f.srv.URL + "/api/" }

// HookURL is a response_url on this server; what is posted to it is
// recorded as a Posted with Method "response_url" and Channel name.
func (f *Server) HookURL(name string) string { return f.srv.URL + "/hooks/" + name }

// notify wakes everyone waiting for a change; call with mu held.
func (f *Server) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// WaitFor waits until cond holds, failing the test after a generous
// deadline. cond is called with the fake's lock held, on every change,
// and reads the fake through s only; s is dead once cond returns.
func (f *Server) WaitFor(what string, cond func(s *State) bool) {
	f.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		s := &State{f: f}
		ok, ch := cond(s), f.changed
		s.f = nil
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

// SetThrottle makes the next call of method answer 429 with Retry-After
// seconds.
func (f *Server) SetThrottle(method string, seconds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle[method] = seconds
}

// Fail makes the next call of method answer ok:false with error code.
func (f *Server) Fail(method, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = code
}

// AddUser gives users.info a name for user id.
func (f *Server) AddUser(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = name
}

// Posts are the messages posted so far, in order.
func (f *Server) Posts() []Posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return (&State{f: f}).Posts()
}

// PostsTo are the messages posted to channel (or hook name) so far.
func (f *Server) PostsTo(channel string) []Posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return (&State{f: f}).PostsTo(channel)
}

// Views are the modals opened so far.
func (f *Server) Views() []OpenedView {
	f.mu.Lock()
	defer f.mu.Unlock()
	return (&State{f: f}).Views()
}

// Calls are the Web API calls made so far, refused ones included.
func (f *Server) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return (&State{f: f}).Calls()
}

// Count is how many times method was called, refused calls included.
func (f *Server) Count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return (&State{f: f}).Count(method)
}

// Conns is how many Socket Mode connections were opened so far.
func (f *Server) Conns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns
}

// AckedAt is when the ack of envelope id arrived, stamped on arrival.
func (f *Server) AckedAt(id string) (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, ok := f.acked[id]
	return at, ok
}

// WaitPost waits until a message to channel contains text, in its
// fallback text or its blocks, and returns the first such.
func (f *Server) WaitPost(channel, text string) Posted {
	f.t.Helper()
	var found Posted
	f.WaitFor(fmt.Sprintf("a message to %s with %q", channel, text), func(s *State) bool {
		for _, p := range s.f.posts {
			if p.Channel == channel && strings.Contains(p.Text+Render(p.Blocks), text) {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

// WaitView waits until views.open is called with trigger and returns the
// modal.
func (f *Server) WaitView(trigger string) OpenedView {
	f.t.Helper()
	var v OpenedView
	f.WaitFor("views.open with trigger "+trigger, func(s *State) bool {
		for _, x := range s.f.views {
			if x.Trigger == trigger {
				v = x
				return true
			}
		}
		return false
	})
	return v
}

// State reads the fake inside WaitFor's cond, under its lock.
type State struct{ f *Server }

func (s *State) srv() *Server {
	if s.f == nil {
		panic("slackfake: State used outside WaitFor")
	}
	return s.f
}

// Posts are the messages posted so far, in order.
func (s *State) Posts() []Posted { return append([]Posted(nil), s.srv().posts...) }

// Uploads are the files shared so far, in order.
func (s *State) Uploads() []Upload { return append([]Upload(nil), s.srv().shared...) }

// PostsTo are the messages posted to channel (or hook name) so far.
func (s *State) PostsTo(channel string) []Posted {
	var out []Posted
	for _, p := range s.srv().posts {
		if p.Channel == channel {
			out = append(out, p)
		}
	}
	return out
}

// Views are the modals opened so far.
func (s *State) Views() []OpenedView { return append([]OpenedView(nil), s.srv().views...) }

// Calls are the Web API calls made so far.
func (s *State) Calls() []Call { return append([]Call(nil), s.srv().calls...) }

// Count is how many times method was called.
func (s *State) Count(method string) int {
	n := 0
	for _, c := range s.srv().calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

// Connected tells whether a Socket Mode client has connected.
func (s *State) Connected() bool { return s.srv().conn != nil }

// Conns is how many Socket Mode connections were opened.
func (s *State) Conns() int { return s.srv().conns }

// Acks is how many envelopes were acked.
func (s *State) Acks() int { return len(s.srv().acks) }

// Acked tells whether envelope id was acked.
func (s *State) Acked(id string) bool {
	_, ok := s.srv().acks[id]
	return ok
}
