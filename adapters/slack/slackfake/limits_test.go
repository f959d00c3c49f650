package slackfake

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func post(t *testing.T, f *Server, channel string) (int, string) {
	t.Helper()
	resp, err := http.PostForm(f.URL()+"chat.postMessage", url.Values{"channel": {channel}, "text": {"hi"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

func TestEnforcedLimits(t *testing.T) {
	f := New(t)
	// Without Enforce nothing is refused.
	for range 5 {
		if code, _ := post(t, f, "C1"); code != http.StatusOK {
			t.Fatalf("unenforced post answered %d", code)
		}
	}
	// An hour between posts makes the outcome independent of the
	// machine's speed.
	f.Enforce(Limits{ChannelEvery: time.Hour, ChannelBurst: 2, WorkspaceEvery: time.Hour, WorkspaceBurst: 3})
	for _, tt := range []struct {
		channel string
		code    int
	}{
		{"C1", http.StatusOK},
		{"C1", http.StatusOK},              // the channel's burst
		{"C1", http.StatusTooManyRequests}, // over the channel's limit
		{"C2", http.StatusOK},              // the workspace's third
		{"C3", http.StatusTooManyRequests}, // over the workspace's limit
	} {
		code, after := post(t, f, tt.channel)
		if code != tt.code {
			t.Errorf("post to %s answered %d, want %d", tt.channel, code, tt.code)
		}
		if code == http.StatusTooManyRequests && after != "3600" {
			t.Errorf("Retry-After %q, want 3600", after)
		}
	}
	if f.Refused() != 2 || f.Throttled() != 2 {
		t.Errorf("refused %d, throttled %d; want 2 each", f.Refused(), f.Throttled())
	}
	if got := len(f.PostsTo("C1")); got != 7 {
		t.Errorf("%d posts in C1, want 7 (a refused post is not posted)", got)
	}
}
