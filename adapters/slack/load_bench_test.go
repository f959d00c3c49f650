package slack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

// BenchmarkReplyLoad sends Events API messages over HTTP at a fixed rate
// for a fixed time (COLLABOT_BENCH_DURATION, default 10s) and measures
// each reply: from the event leaving "Slack" to the bot's answer arriving
// at the local Slack fake. Two bots go through the same fake at the same
// rates: collabot (the real engine on a SQLite file, each event a first
// step of a form, which commits) and a minimal slack-go echo bot built
// here (verify, ack, post) — the baseline.
//
// Besides reply p50/p99 (of the events answered) it reports, for
// collabot, events acknowledged before they were recorded (an HTTP 200
// while the store does not yet hold the event; must be 0), refusals (HTTP
// 503; each refused event is delivered again at once, as Slack's first
// retry is), and events refused twice, which Slack would deliver again
// after a minute — past the run, so they count as unanswered.
//
// With COLLABOT_BENCH_DURABLE=1 collabot runs as serve does: answers
// recorded with their event in the outbox and posted by a dispatcher
// (without rate limits, as the echo bot has none), so each event costs
// the dispatcher's claim and "sent" commits too.
//
//	COLLABOT_BENCH_DURATION=10s go test -run '^$' -bench BenchmarkReplyLoad -benchtime 1x ./adapters/slack/
func BenchmarkReplyLoad(b *testing.B) {
	dur := 10 * time.Second
	if v := os.Getenv("COLLABOT_BENCH_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("COLLABOT_BENCH_DURATION=%q: not a duration", v)
		}
		dur = d
	}
	for _, rate := range []int{200, 500} {
		for _, who := range []string{"collabot", "echo"} {
			b.Run(fmt.Sprintf("%s/%dev", who, rate), func(b *testing.B) {
				for b.Loop() {
					var r loadResult
					if who == "echo" {
						r = runLoad(b, echoTarget(b), rate, dur)
					} else {
						r = runLoad(b, collabotTarget(b), rate, dur)
					}
					r.report(b)
				}
			})
		}
	}
}

// loadTarget is a bot under load: where its events go, how they are
// signed, when its replies arrived, and (for collabot) whether an event
// is recorded.
type loadTarget struct {
	url      string
	sign     func() string // the request timestamp
	replies  *replyClock
	recorded func(eventID string) bool
	settle   func()
	// batches reports the store's writer: events applied and in how many
	// transactions (group commit); nil where there is none.
	batches func() (events, batches int64)
	// message is who sends event i and what; nil is "发起协作" from one
	// of 50 people.
	message func(i int) (user, text string)
}

// replyClock stamps the first chat.postMessage to each channel as the
// fake answers it: a RoundTripper in front of the bots' Web API client.
// A post the dispatcher makes names its event in its metadata (the
// outbox key): it is stamped under the event too, since a reply to a DM
// goes to the person's DM channel, which the fake names itself.
type replyClock struct {
	next http.RoundTripper
	mu   sync.Mutex
	at   map[string]time.Time
}

func newReplyClock() *replyClock {
	return &replyClock{next: &http.Transport{MaxIdleConnsPerHost: 256}, at: map[string]time.Time{}}
}

func (c *replyClock) RoundTrip(req *http.Request) (*http.Response, error) {
	channel := ""
	if req.URL.Path == "/api/chat.postMessage" && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		channel = form.Get("channel")
		if m := loadEvent.FindStringSubmatch(form.Get("metadata")); m != nil {
			channel = "D" + m[1] // the channel the event came from
		}
	}
	res, err := c.next.RoundTrip(req)
	if err == nil && channel != "" {
		now := time.Now()
		c.mu.Lock()
		if _, ok := c.at[channel]; !ok {
			c.at[channel] = now
		}
		c.mu.Unlock()
	}
	return res, err
}

func (c *replyClock) when(channel string) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.at[channel]
	return t, ok
}

func (c *replyClock) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.at)
}

// collabotTarget is the adapter on the real engine and a SQLite file,
// as serve runs it minus the dispatcher: answers are posted from memory
// once the event is recorded and acknowledged.
func collabotTarget(b *testing.B) loadTarget { return collabotTargetOn(b, newWorld(b)) }

// collabotTargetOn is collabotTarget on the world w.
func collabotTargetOn(b *testing.B, w *world) loadTarget {
	f := slackfake.New(b)
	clock := newReplyClock()
	o := adapterOpts(f, w.eng, w)
	o.HTTPClient = &http.Client{Transport: clock, Timeout: 15 * time.Second}
	var d *dispatch.Dispatcher
	if os.Getenv("COLLABOT_BENCH_DURABLE") == "1" {
		o.DurableReplies = true
		o.Handler = kicked{w.eng, &d}
	}
	a := newAdapter(b, o)
	if o.DurableReplies {
		var err error
		d, err = dispatch.New(dispatch.Options{Outbox: w.store, Render: w.eng.Notification, Senders: []bot.Sender{a},
			Limits: dispatch.Limits{}, Workers: 4, Log: quiet()})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx, 100*time.Millisecond) }()
		b.Cleanup(func() { cancel(); <-done })
	}
	srv := httpServer(b, a)
	ctx := context.Background()
	return loadTarget{
		url:     srv.URL + "/slack/events",
		sign:    func() string { return strconv.FormatInt(monday.Unix(), 10) },
		replies: clock,
		recorded: func(id string) bool {
			seen := false
			err := w.store.View(ctx, w.ws(), func(tx bot.Tx) error {
				var err error
				seen, err = tx.Recorded(ctx, string(bot.Slack)+":"+id)
				return err
			})
			if err != nil {
				b.Error(err)
			}
			return seen
		},
		settle: func() { settle(b, a) },
		batches: func() (int64, int64) {
			if g, ok := any(w.store).(interface{ GroupStats() (int64, int64) }); ok {
				return g.GroupStats()
			}
			return 0, 0
		},
	}
}

// echoTarget is a minimal slack-go bot: it verifies the request, parses
// the event, acknowledges it and posts "echo: <text>" to its channel.
func echoTarget(b *testing.B) loadTarget {
	f := slackfake.New(b)
	clock := newReplyClock()
	api := slack.New(slackfake.BotToken, slack.OptionAPIURL(f.URL()),
		slack.OptionHTTPClient(&http.Client{Transport: clock, Timeout: 15 * time.Second}))
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, testSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusOK)
		if msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); ok {
			wg.Go(func() {
				_, _, _ = api.PostMessage(msg.Channel, slack.MsgOptionText("echo: "+msg.Text, false))
			})
		}
	}))
	b.Cleanup(srv.Close)
	return loadTarget{
		url:     srv.URL,
		sign:    func() string { return strconv.FormatInt(time.Now().Unix(), 10) },
		replies: clock,
		settle:  wg.Wait,
	}
}

// kicked wakes the dispatcher after each event, as serve's handler does:
// the event's answer waits in the outbox.
type kicked struct {
	h Handler
	d **dispatch.Dispatcher
}

func (k kicked) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	r, err := k.h.Handle(ctx, m)
	(*k.d).Kick()
	return r, err
}

// loadEvent finds a load event's number in a post's metadata.
var loadEvent = regexp.MustCompile(`EvLoad(\d+)`)

type loadResult struct {
	events, answered         int
	p50, p99, max            time.Duration
	ackedEarly, refused, bad int64
	echo                     bool
	perCommit                float64 // events per write transaction
}

func (r loadResult) report(b *testing.B) {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(r.p50), "p50-ms")
	b.ReportMetric(ms(r.p99), "p99-ms")
	b.ReportMetric(ms(r.max), "max-ms")
	b.ReportMetric(float64(r.events), "events")
	b.ReportMetric(float64(r.events-r.answered), "unanswered")
	if !r.echo {
		b.ReportMetric(float64(r.ackedEarly), "acked-before-recorded")
		b.ReportMetric(float64(r.refused), "refused-503")
		b.ReportMetric(r.perCommit, "events/commit")
	}
	b.Logf("%d events, %d answered; reply p50 %s p99 %s max %s; acked before recorded %d, refused %d, other failures %d",
		r.events, r.answered, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.max.Round(time.Millisecond),
		r.ackedEarly, r.refused, r.bad)
}

// runLoad sends rate events a second for dur, each a DM in a channel of
// its own from one of 50 people, and waits for the answers.
func runLoad(b *testing.B, t loadTarget, rate int, dur time.Duration) loadResult {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0}, Timeout: 30 * time.Second}
	total := int(dur.Seconds() * float64(rate))
	sent := make([]time.Time, total)
	var ackedEarly, refused, bad, acked atomic.Int64
	post := func(i, attempt int) int {
		id := "EvLoad" + strconv.Itoa(i)
		user, text := "U"+strconv.Itoa(i%50), "发起协作"
		if t.message != nil {
			user, text = t.message(i)
		}
		body := mustJSON(b, slackfake.MessageEvent(id, "D"+strconv.Itoa(i), user, text, nil))
		req, err := http.NewRequest(http.MethodPost, t.url, bytes.NewReader([]byte(body)))
		if err != nil {
			b.Error(err)
			return 0
		}
		ts := t.sign()
		req.Header.Set("Content-Type", jsonType)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackfake.Sign(testSecret, ts, []byte(body)))
		if attempt > 0 {
			req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(attempt))
		}
		res, err := client.Do(req)
		if err != nil {
			bad.Add(1)
			return 0
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK && t.recorded != nil && !t.recorded(id) {
			ackedEarly.Add(1)
		}
		return res.StatusCode
	}
	var events0, batches0 int64
	if t.batches != nil {
		events0, batches0 = t.batches()
	}
	var wg sync.WaitGroup
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := range total {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d) // the load's own clock: events leave on schedule
		}
		sent[i] = time.Now()
		wg.Go(func() {
			// Slack retries a refused event at once, then after 1 and 5
			// minutes: within a run, the first retry only.
			for attempt := 0; attempt < 2; attempt++ {
				switch code := post(i, attempt); code {
				case http.StatusOK:
					acked.Add(1)
					return
				case http.StatusServiceUnavailable:
					refused.Add(1)
				default:
					bad.Add(1)
					return
				}
			}
		})
	}
	wg.Wait()
	t.settle()
	// Answers still on their way (posted after the ack) get a while.
	deadline := time.Now().Add(15 * time.Second)
	for t.replies.count() < int(acked.Load()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	var lat []time.Duration
	for i := range total {
		if at, ok := t.replies.when("D" + strconv.Itoa(i)); ok {
			lat = append(lat, at.Sub(sent[i]))
		}
	}
	r := loadResult{events: total, answered: len(lat), ackedEarly: ackedEarly.Load(), refused: refused.Load(),
		bad: bad.Load(), echo: t.recorded == nil}
	if t.batches != nil {
		if events, batches := t.batches(); batches > batches0 {
			r.perCommit = float64(events-events0) / float64(batches-batches0)
		}
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
		r.p50, r.p99, r.max = q(0.5), q(0.99), lat[len(lat)-1]
	}
	return r
}
