package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// robot is the part of DingTalk's OpenAPI the adapter calls.
type robot interface {
	token(ctx context.Context) (string, error)
	// sendToUsers sends a 1:1 message to at most maxUsers staff ids and
	// reports those DingTalk refused as invalid or held back by flow
	// control.
	sendToUsers(ctx context.Context, staffIDs []string, m outMessage) (invalid, limited []string, err error)
	sendToGroup(ctx context.Context, conversation string, m outMessage) error
	replyInSession(ctx context.Context, webhook string, m outMessage) error
}

// maxUsers is how many staff ids one oToMessages/batchSend takes.
const maxUsers = 20

// openAPI calls DingTalk over HTTP with an access token it caches.
type openAPI struct {
	base, robotCode   string
	appKey, appSecret string
	http              *http.Client
	clock             bot.Clock
	log               *slog.Logger

	mu     sync.Mutex
	tok    string
	exp    time.Time
	flight *tokenCall // the refresh in progress, shared by all who wait
}

type tokenCall struct {
	done chan struct{}
	tok  string
	err  error
}

// tokenMargin is how long before its expiry a token is replaced, so that
// none expires between being handed out and being used.
const tokenMargin = 5 * time.Minute

// token returns a valid access token, fetching one when the cached one is
// missing or about to expire. Concurrent callers share one fetch, which
// runs on its own context so that one caller giving up fails no other.
func (o *openAPI) token(ctx context.Context) (string, error) {
	o.mu.Lock()
	if o.tok != "" && o.clock.Now().Before(o.exp) {
		t := o.tok
		o.mu.Unlock()
		return t, nil
	}
	c := o.flight
	if c == nil {
		c = &tokenCall{done: make(chan struct{})}
		o.flight = c
		go o.refresh(c)
	}
	o.mu.Unlock()
	select {
	case <-c.done:
		return c.tok, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (o *openAPI) refresh(c *tokenCall) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out struct {
		AccessToken string `json:"accessToken"`
		ExpireIn    int64  `json:"expireIn"`
	}
	err := o.post(ctx, "/v1.0/oauth2/accessToken", "", map[string]string{"appKey": o.appKey, "appSecret": o.appSecret}, &out)
	if err == nil && out.AccessToken == "" {
		err = errors.New("empty answer")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flight = nil
	if err != nil {
		c.err = fmt.Errorf("access token: %w", err)
		close(c.done)
		return
	}
	life := time.Duration(out.ExpireIn) * time.Second
	if life <= 0 {
		life = 2 * time.Hour // DingTalk's usual
	}
	o.tok, o.exp = out.AccessToken, o.clock.Now().Add(max(life-tokenMargin, life/2))
	c.tok = o.tok
	close(c.done)
	o.log.Debug("access token refreshed", "valid_for", life)
}

// invalidate drops tok if it is still the cached one: DingTalk said it is
// no longer valid (revoked, or expired early).
func (o *openAPI) invalidate(tok string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tok == tok {
		o.tok = ""
	}
}

// call posts to an OpenAPI endpoint with the access token, fetching a new
// token once if DingTalk says the one it had is invalid.
func (o *openAPI) call(ctx context.Context, path string, body, out any) error {
	return o.callAs(ctx, http.MethodPost, path, body, out)
}

// callAs is call with another HTTP method (a card update is a PUT).
func (o *openAPI) callAs(ctx context.Context, method, path string, body, out any) error {
	for attempt := 0; ; attempt++ {
		tok, err := o.token(ctx)
		if err != nil {
			return err // already "access token: …"
		}
		err = o.send(ctx, method, path, tok, body, out)
		if e := asAPIError(err); e != nil && e.tokenInvalid() && attempt == 0 {
			o.invalidate(tok)
			continue
		}
		return err
	}
}

func (o *openAPI) sendToUsers(ctx context.Context, staffIDs []string, m outMessage) (invalid, limited []string, err error) {
	if len(staffIDs) > maxUsers {
		return nil, nil, fmt.Errorf("dingtalk: %d recipients in one batch, at most %d", len(staffIDs), maxUsers)
	}
	key, param := m.template()
	var out struct {
		InvalidStaffIDList        []string `json:"invalidStaffIdList"`
		FlowControlledStaffIDList []string `json:"flowControlledStaffIdList"`
	}
	err = o.call(ctx, "/v1.0/robot/oToMessages/batchSend",
		map[string]any{"robotCode": o.robotCode, "userIds": staffIDs, "msgKey": key, "msgParam": param}, &out)
	if err != nil {
		return nil, nil, fmt.Errorf("dingtalk: batchSend: %w", throttled(err))
	}
	return out.InvalidStaffIDList, out.FlowControlledStaffIDList, nil
}

func (o *openAPI) sendToGroup(ctx context.Context, conversation string, m outMessage) error {
	key, param := m.template()
	err := o.call(ctx, "/v1.0/robot/groupMessages/send",
		map[string]any{"robotCode": o.robotCode, "openConversationId": conversation, "msgKey": key, "msgParam": param}, nil)
	if err != nil {
		return fmt.Errorf("dingtalk: groupMessages/send: %w", throttled(err))
	}
	return nil
}

// replyInSession posts to a callback's sessionWebhook, which takes the
// custom-robot message format and answers errors as an errcode, often
// inside an HTTP 200.
func (o *openAPI) replyInSession(ctx context.Context, webhook string, m outMessage) error {
	var body map[string]any
	if len(m.Buttons) == 0 {
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": m.Title, "text": m.Text}}
	} else {
		btns := make([]map[string]string, len(m.Buttons))
		for i, b := range m.Buttons {
			btns[i] = map[string]string{"title": b.Title, "actionURL": b.URL}
		}
		body = map[string]any{"msgtype": "actionCard", "actionCard": map[string]any{
			"title": m.Title, "text": m.Text, "btnOrientation": "0", "btns": btns}}
	}
	if err := o.post(ctx, webhook, "", body, nil); err != nil {
		return fmt.Errorf("dingtalk: session webhook: %w", throttled(err))
	}
	return nil
}

// template is the OpenAPI form of m: a msgKey and its msgParam (a JSON
// string). Buttons pick the action card template of their number.
func (m outMessage) template() (string, string) {
	p := map[string]string{"title": m.Title, "text": m.Text}
	key := "sampleMarkdown"
	switch n := len(m.Buttons); {
	case n == 1:
		key = "sampleActionCard"
		p["singleTitle"], p["singleURL"] = m.Buttons[0].Title, m.Buttons[0].URL
	case n > 1:
		key = "sampleActionCard" + strconv.Itoa(n)
		for i, b := range m.Buttons {
			p["actionTitle"+strconv.Itoa(i+1)] = b.Title
			p["actionURL"+strconv.Itoa(i+1)] = b.URL
		}
	}
	param, _ := json.Marshal(p) // a map of strings always encodes
	return key, string(param)
}

// post sends one JSON request and decodes a successful answer into out.
// path is either an OpenAPI path or, for the session webhook, a whole
// URL. Failures are *APIError built from the status and the error
// fields only: a response body is never put into an error or a log.
func (o *openAPI) post(ctx context.Context, path, tok string, body, out any) error {
	return o.send(ctx, http.MethodPost, path, tok, body, out)
}

func (o *openAPI) send(ctx context.Context, method, path, tok string, body, out any) error {
	u := path
	if len(path) > 0 && path[0] == '/' {
		u = o.base + path
	}
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if tok != "" {
		req.Header.Set("x-acs-dingtalk-access-token", tok)
	}
	resp, err := o.http.Do(req)
	if err != nil {
		// Not the *url.Error itself: its text holds the whole URL, and a
		// session webhook's query is a credential.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("request to %s: %w", req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read answer of %s: %w", req.URL.Path, err)
	}
	if e := parseAPIError(resp.StatusCode, raw); e != nil {
		e.Path = req.URL.Path
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		return e
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("decode answer of %s: %w", req.URL.Path, err)
		}
	}
	return nil
}

func retryAfter(h string) time.Duration {
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}
