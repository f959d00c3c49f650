package slack

import (
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
)

// The ack latency of the two transports, with the real engine on SQLite:
// from Slack sending an event (a DM asking for help) to its ack. Each
// benchmark reports p50 and p99 in milliseconds.

func BenchmarkAckHTTP(b *testing.B) {
	f := slackfake.New(b)
	w := newWorld(b)
	a := newAdapter(b, adapterOpts(f, w.eng, w))
	srv := httpServer(b, a)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		body := mustJSON(b, slackfake.MessageEvent("EvB"+strconv.Itoa(i), "D0AMY", "U0AMY", "help", nil))
		start := time.Now()
		res := signed(b, srv.URL+"/slack/events", jsonType, body)
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		lat = append(lat, time.Since(start))
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
	b.StopTimer()
	report(b, lat)
	settle(b, a)
}

func BenchmarkAckSocketMode(b *testing.B) {
	f := slackfake.New(b)
	_, a := socketWorld(b, f)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		id := f.Push("events_api", slackfake.MessageEvent("EvS"+strconv.Itoa(i), "D0AMY", "U0AMY", "help", nil))
		f.Ack(id)
		at, _ := f.AckedAt(id)
		lat = append(lat, at.Sub(start))
	}
	b.StopTimer()
	report(b, lat)
	settle(b, a)
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

// TestAckLoad sends events at a fixed rate for a while over both
// transports and reports the ack latency; p99 must be far inside Slack's
// 3 s. It is a load test, run on demand:
//
//	COLLABOT_SLACK_LOAD=200x30s go test -run TestAckLoad -v ./adapters/slack/
func TestAckLoad(t *testing.T) {
	spec := os.Getenv("COLLABOT_SLACK_LOAD")
	if spec == "" {
		t.Skip("set COLLABOT_SLACK_LOAD=<rate>x<duration>, e.g. 200x30s")
	}
	rateText, durText, _ := cutX(spec)
	rate, err := strconv.Atoi(rateText)
	if err != nil || rate <= 0 {
		t.Fatalf("rate %q", rateText)
	}
	dur, err := time.ParseDuration(durText)
	if err != nil {
		t.Fatalf("duration %q", durText)
	}
	for _, transport := range []string{"http", "socket mode"} {
		t.Run(transport, func(t *testing.T) {
			f := slackfake.New(t)
			w := newWorld(t)
			o := adapterOpts(f, w.eng, w)
			var send func(i int) time.Duration
			var measure func() []time.Duration
			if transport == "http" {
				srv := httpServer(t, newAdapter(t, o)).URL
				send = func(i int) time.Duration {
					body := mustJSON(t, slackfake.MessageEvent("EvL"+strconv.Itoa(i), "D"+strconv.Itoa(i%50), "U"+strconv.Itoa(i%50), "help", nil))
					start := time.Now()
					res := signed(t, srv+"/slack/events", jsonType, body)
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					return time.Since(start)
				}
			} else {
				o.AppToken = slackfake.AppToken
				a := newAdapter(t, o)
				runSocket(t, f, a)
				var mu sync.Mutex // one writer on the websocket at a time
				pushed := map[string]time.Time{}
				send = func(i int) time.Duration {
					mu.Lock()
					defer mu.Unlock()
					start := time.Now()
					id := f.PushAs("events_api", slackfake.MessageEvent("EvL"+strconv.Itoa(i), "D"+strconv.Itoa(i%50), "U"+strconv.Itoa(i%50), "help", nil), 0, "")
					pushed[id] = start
					return 0 // measured below, from the acks' arrival
				}
				measure = func() []time.Duration {
					f.WaitFor("every ack", func(s *slackfake.State) bool { return s.Acks() >= len(pushed) })
					var lat []time.Duration
					for id, start := range pushed {
						at, _ := f.AckedAt(id)
						lat = append(lat, at.Sub(start))
					}
					return lat
				}
			}
			total := int(dur.Seconds() * float64(rate))
			lat := make([]time.Duration, total)
			tick := time.NewTicker(time.Second / time.Duration(rate))
			defer tick.Stop()
			var wg sync.WaitGroup
			for i := range total {
				<-tick.C
				wg.Go(func() { lat[i] = send(i) })
			}
			wg.Wait()
			if measure != nil {
				lat = measure()
			}
			slices.Sort(lat)
			p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
			t.Logf("%s: %d events at %d/s: ack p50 %s, p99 %s, max %s", transport, total, rate,
				p(0.5).Round(time.Microsecond), p(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))
			if p(0.99) > time.Second {
				t.Errorf("p99 %s is not far inside 3 s", p(0.99))
			}
		})
	}
}

func cutX(s string) (string, string, bool) {
	for i := range s {
		if s[i] == 'x' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
