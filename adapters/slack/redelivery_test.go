package slack

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
)

// pastedRequest is a filled-in request as amy pastes it in her DM.
const pastedRequest = "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 新品上线\n需协助部门: 运营部\n" +
	"具体需求描述: 完成接口联调\n期望完成时间: 2026-12-18"

// TestRedelivery delivers amy's "确认" (which files her pasted request)
// four times: one after another, at once, spread over two replicas
// sharing the store, over Socket Mode with retry attempts, and across a
// restart. Every delivery is acknowledged; one collaboration is filed and
// one answer posted.
func TestRedelivery(t *testing.T) {
	confirm := slackfake.MessageEvent("EvConfirm", "D0AMY", "U0AMY", "确认", map[string]any{"ts": "1700000009.000100"})
	tests := []struct {
		name    string
		deliver func(t *testing.T, f *slackfake.Server, w *world) []*Adapter
	}{
		{"sequentially", func(t *testing.T, f *slackfake.Server, w *world) []*Adapter {
			a := newAdapter(t, adapterOpts(f, w.eng, w))
			srv := httpServer(t, a)
			for i := range 4 {
				postEvent(t, srv.URL, confirm, i)
			}
			return []*Adapter{a}
		}},
		{"concurrently", func(t *testing.T, f *slackfake.Server, w *world) []*Adapter {
			a := newAdapter(t, adapterOpts(f, w.eng, w))
			srv := httpServer(t, a)
			parallel(4, func(i int) { postEvent(t, srv.URL, confirm, i) })
			return []*Adapter{a}
		}},
		{"to two replicas", func(t *testing.T, f *slackfake.Server, w *world) []*Adapter {
			other := openWorld(t, w.path)
			a := newAdapter(t, adapterOpts(f, w.eng, w))
			b := newAdapter(t, adapterOpts(f, other.eng, other))
			urls := []string{httpServer(t, a).URL, httpServer(t, b).URL}
			parallel(4, func(i int) { postEvent(t, urls[i%2], confirm, i) })
			return []*Adapter{a, b}
		}},
		{"over socket mode", func(t *testing.T, f *slackfake.Server, w *world) []*Adapter {
			o := adapterOpts(f, w.eng, w)
			o.AppToken = slackfake.AppToken
			a := newAdapter(t, o)
			runSocket(t, f, a)
			var ids []string
			for i := range 4 {
				ids = append(ids, f.PushAs("events_api", confirm, i, ""))
			}
			for _, id := range ids {
				f.Ack(id)
			}
			return []*Adapter{a}
		}},
		{"after a restart", func(t *testing.T, f *slackfake.Server, w *world) []*Adapter {
			a := newAdapter(t, adapterOpts(f, w.eng, w))
			postEvent(t, httpServer(t, a).URL, confirm, 0)
			settle(t, a)
			w.store.Close()
			again := openWorld(t, w.path)
			b := newAdapter(t, adapterOpts(f, again.eng, again))
			srv := httpServer(t, b)
			for i := 1; i < 4; i++ {
				postEvent(t, srv.URL, confirm, i)
			}
			*w = *again
			return []*Adapter{b}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := slackfake.New(t)
			w := newWorld(t)
			first := newAdapter(t, adapterOpts(f, w.eng, w))
			postEvent(t, httpServer(t, first).URL,
				slackfake.MessageEvent("EvPaste", "D0AMY", "U0AMY", pastedRequest, map[string]any{"ts": "1700000008.000100"}), 0)
			f.WaitPost("D0AMY", "请确认")
			settle(t, first)
			before := len(f.PostsTo("D0AMY"))

			for _, a := range tt.deliver(t, f, w) {
				settle(t, a)
			}
			if n := len(w.collabs()); n != 1 {
				t.Errorf("%d collaborations filed", n)
			}
			var answers []string
			for _, p := range f.PostsTo("D0AMY")[before:] {
				answers = append(answers, p.Text)
			}
			if len(answers) != 1 || !strings.Contains(answers[0], "COL-1") {
				t.Errorf("%d answers to the confirmation: %q", len(answers), answers)
			}
		})
	}
}

// postEvent delivers an Events API payload over HTTP, as Slack's retry
// number n, and insists on a 200.
func postEvent(t testing.TB, base string, payload map[string]any, n int) {
	t.Helper()
	var headers []string
	if n > 0 {
		headers = []string{"X-Slack-Retry-Num", strconv.Itoa(n), "X-Slack-Retry-Reason", "http_timeout"}
	}
	res := signed(t, base+"/slack/events", jsonType, mustJSON(t, payload), headers...)
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("delivery %d: status %d", n, res.StatusCode)
	}
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			f(i)
		})
	}
	close(start)
	wg.Wait()
}

// settle waits until the adapter has posted everything it is going to.
func settle(t testing.TB, a *Adapter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}
