package main

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/internal/config"
)

func TestServeWebBoard(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	vars := newPlatforms(t, clock).vars
	vars["COLLABOT_WEB_SECRET"], vars["COLLABOT_WEB_URL"] = strings.Repeat("k", 32), "https://board.example.com/"
	s := buildService(t, vars, clock)
	srv := httptest.NewServer(s.routes())
	defer srv.Close()
	if s.eng.Web == nil {
		t.Fatal("the engine hands out no links")
	}
	link, exp, err := s.eng.Web.Link("demo", "amy")
	if err != nil || !strings.HasPrefix(link, "https://board.example.com/web/open#v1.") || exp.Sub(clock.Now().Add(7*24*time.Hour)).Abs() > time.Minute {
		t.Fatalf("link %q until %v: %v", link, exp, err)
	}
	_, tok, _ := strings.Cut(link, "#")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/web/session", strings.NewReader(tok))
	req.Header.Set("X-Collabot-Board", "1")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Secure cookies do not travel over the test's plain HTTP: send it by hand.
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/web/", nil)
	req.AddCookie(resp.Cookies()[0])
	if !resp.Cookies()[0].Secure {
		t.Error("the board behind https sets a cookie without Secure")
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "王芳 Amy") {
		t.Errorf("/web/ = %d\n%s", resp.StatusCode, body)
	}
}

func TestServeWebBoardOff(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	s := buildService(t, newPlatforms(t, clock).vars, clock)
	srv := httptest.NewServer(s.routes())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/web/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "COLLABOT_WEB_SECRET") {
		t.Errorf("/web/ without a secret = %d\n%s", resp.StatusCode, body)
	}
	if s.eng.Web != nil {
		t.Error("links are handed out for a board that is off")
	}
}

func TestCheckWeb(t *testing.T) {
	good := strings.Repeat("k", 32)
	tests := []struct {
		name, secret, url, want string
	}{
		{"off", "", "", ""},
		{"on, local", good, "", ""},
		{"on", good, "https://board.example.com", ""},
		{"short secret", "letmein", "", "at least 32 bytes"},
		{"not a URL", good, "board.example.com", "COLLABOT_WEB_URL"},
		{"a URL with a fragment", good, "https://board.example.com/#x", "COLLABOT_WEB_URL"},
	}
	for _, tt := range tests {
		c := config.Default()
		c.Web.Secret, c.Web.URL = tt.secret, tt.url
		err := checkWeb(c)
		if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestServeWebOwnListener: with COLLABOT_WEB_ADDR the board answers on a
// listener of its own and not on the HTTP one; /metrics stays off it.
func TestServeWebOwnListener(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	addrs := ownListeners(t)
	p := newPlatforms(t, clock)
	p.vars["COLLABOT_WEB_SECRET"], p.vars["COLLABOT_WEB_ADDR"] = strings.Repeat("k", 32), "127.0.0.1:0"
	svc := startService(t, p.vars, clock)
	board := <-addrs
	get := func(addr, path string) int { return statusOf(t, addr, path) }
	for _, c := range []struct {
		addr, path string
		want       int
	}{
		{board, "/web/refused?why=none", http.StatusUnauthorized},
		{board, "/web/assets/board.css", http.StatusOK},
		{board, "/metrics", http.StatusNotFound},
		{board, "/readyz", http.StatusNotFound},
		{svc.addr, "/web/refused?why=none", http.StatusNotFound},
		{svc.addr, "/readyz", http.StatusOK},
	} {
		if got := get(c.addr, c.path); got != c.want {
			t.Errorf("%s%s = %d, want %d", c.addr, c.path, got, c.want)
		}
	}
	if link, _, err := svc.s.eng.Web.Link("demo", "amy"); err != nil || !strings.HasPrefix(link, "http://localhost:0/web/open#") {
		// COLLABOT_WEB_URL unset: the board's own port, as configured.
		t.Errorf("link %q: %v", link, err)
	}
	if err := svc.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + board + "/web/"); err == nil {
		t.Error("the board's listener outlived serve")
	}
}

// TestServeAdminOwnListener: with COLLABOT_ADMIN_ADDR, /readyz and
// /metrics answer only there, and the main listener keeps the platforms'
// endpoints and /healthz.
func TestServeAdminOwnListener(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	addrs := ownListeners(t)
	p := newPlatforms(t, clock)
	p.vars["COLLABOT_ADMIN_ADDR"] = "127.0.0.1:0"
	svc := startService(t, p.vars, clock)
	admin := <-addrs
	get := func(addr, path string) int { return statusOf(t, addr, path) }
	for _, c := range []struct {
		addr, path string
		want       int
	}{
		{admin, "/readyz", http.StatusOK},
		{admin, "/metrics", http.StatusOK},
		{admin, "/healthz", http.StatusOK},
		{admin, "/web/refused?why=none", http.StatusNotFound},
		{svc.addr, "/readyz", http.StatusNotFound},
		{svc.addr, "/metrics", http.StatusNotFound},
		{svc.addr, "/healthz", http.StatusOK},
	} {
		if got := get(c.addr, c.path); got != c.want {
			t.Errorf("%s%s = %d, want %d", c.addr, c.path, got, c.want)
		}
	}
}

// ownListeners reports the address of each listener serve opens besides
// its main one (the board's, the operators').
func ownListeners(t *testing.T) <-chan string {
	addrs := make(chan string, 2)
	listen := webListen
	webListen = func(addr string) (net.Listener, error) {
		ln, err := listen(addr)
		if err == nil {
			addrs <- ln.Addr().String()
		}
		return ln, err
	}
	t.Cleanup(func() { webListen = listen })
	return addrs
}

// statusOf is the status a GET of path on addr answers.
func statusOf(t *testing.T, addr, path string) int {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
