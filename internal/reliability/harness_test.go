package reliability_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// bin is the collabot binary under test, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "collabot-chaos-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "collabot")
	build := exec.Command("go", "build", "-o", bin, "github.com/collabot/collabot/cmd/collabot")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// sources reads the module's Go files, so that go test's cache knows the
// suite depends on them: it runs a binary built from them, which the
// cache cannot see.
func sources(t *testing.T) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".sql") && !strings.HasSuffix(path, ".yaml") {
			return err
		}
		_, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// full reports whether the long run was asked for.
func full() bool { return os.Getenv("COLLABOT_CHAOS_FULL") == "1" }

// pick is the short run's figure, or the full run's.
func pick(short, long int) int {
	if full() {
		return long
	}
	return short
}

const (
	workspace = "demo" // the demo organisation's
	secret    = "chaos-signing-secret"
	seedNow   = "2026-11-23T10:00:00+08:00"
)

// start runs serve on addr with vars, logging JSON, until it is ready.
func start(t *testing.T, addr string, vars []string) *testkit.Process {
	t.Helper()
	return testkit.Serve(t, bin, addr, append(vars, "COLLABOT_LOG_FORMAT=json"))
}

// stop is SIGTERM: serve drains and exits.
func stop(t *testing.T, p *testkit.Process) {
	p.Term(t)
	p.Wait(t)
}

func freeAddr(t *testing.T) string { return testkit.FreeAddr(t) }

// seed files COL-1 as carol through `collabot chat`, so that carol may
// change its reminders, and returns the database's path.
func seed(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "collabot.db")
	cmd := exec.Command(bin, "chat", "--now", seedNow)
	cmd.Env = append(os.Environ(), "COLLABOT_DB="+db)
	cmd.Stdin = strings.NewReader(":as carol\n发起协作\n\"\"\"\n协作主题: 双十二活动支持\n协作背景与目标: 活动页面按时上线\n需协助部门: 研发部\n" +
		"具体需求描述: 接口与压测\n期望完成时间: 2026-12-10\n\"\"\"\n确认\n")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "COL-1") {
		t.Fatalf("seeding COL-1: %v\n%s", err, out)
	}
	return db
}

func openStore(t *testing.T, db string) store.Backend {
	t.Helper()
	s, err := database.Open(context.Background(), db, database.Options{Log: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// addNotices queues n notices for people, round robin: COL-1's request
// for acknowledgement, as filing it queued one for ben, each with a key of
// its own and its number in the text ("研发部#7"), for platforms without
// metadata to count. It returns the keys.
func addNotices(t *testing.T, db string, n int, people []bot.PersonID) []string {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, db)
	defer s.Close()
	keys := make([]string, n)
	err := s.Apply(ctx, workspace, "", func(tx bot.Tx) error {
		for i := range n {
			keys[i] = fmt.Sprintf("chaos/%d", i)
			no := bot.Notice{Key: keys[i], Collab: 1, To: people[i%len(people)], Kind: "ack_requested", Subject: "研发部",
				Params: map[string]string{"department": fmt.Sprintf("研发部#%d", i)}, At: time.Now().Add(-time.Minute)}
			if _, err := tx.Enqueue(ctx, no); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// unsent counts the rows of the suite (its notices, the replies to its
// events) not yet sent; the scheduler's own reminders do not count.
func unsent(t *testing.T, db string) int {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NULL
		AND (key LIKE 'chaos/%' OR key LIKE 'reply/%')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// applied counts COL-1's reminder changes by value: one per event applied.
func applied(t *testing.T, db string) map[string]int { return testkit.ReminderChanges(t, db) }

// event is one Slack message event the harness delivers until a replica
// answers it 200, as Slack retries.
type event struct {
	id, channel, user, text string
	value                   string // the reminder time it sets, for carol's
	tries                   int
	answered                bool
}

// deliver posts ev to a serve at addr, signed, and reports whether it was
// answered 200.
func (ev *event) deliver(addr string) bool {
	ok := postEvent(addr, ev.id, ev.channel, ev.user, ev.text, ev.tries)
	ev.tries++
	if ok {
		ev.answered = true
	}
	return ev.answered
}

// postEvent posts a Slack message event to a serve at addr, signed, as
// Slack's retry-th retry (0: the first delivery), and reports whether it
// was answered 200.
func postEvent(addr, id, channel, user, text string, retry int) bool {
	body := []byte(mustJSON(slackfake.MessageEvent(id, channel, user, text, nil)))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackfake.Sign(secret, ts, body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_error")
	}
	client := http.Client{Timeout: 10 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// slackPeople are the demo organisation's people with a Slack account.
var slackPeople = []struct {
	id   bot.PersonID
	user string
}{
	{"alice", "U0ALICE"}, {"amy", "U0AMY"}, {"mike", "U0MIKE"}, {"bob", "U0BOB"}, {"david", "U0DAVID"},
	{"chris", "U0CHRIS"}, {"olivia", "U0OLIVIA"}, {"grace", "U0GRACE"}, {"lily", "U0LILY"}, {"henry", "U0HENRY"},
}

// slackWorld is a seeded database with n notices due to the Slack
// people and m events to deliver, and serve's variables for the local
// Slack f.
func slackWorld(t *testing.T, f *slackfake.Server, prefix string, n, m int, vars ...string) (db string, keys []string, evs []*event, env []string) {
	t.Helper()
	db = seed(t)
	people := make([]bot.PersonID, len(slackPeople))
	for i, p := range slackPeople {
		people[i] = p.id
	}
	keys = addNotices(t, db, n, people)
	env = append([]string{"COLLABOT_DB=" + db, "COLLABOT_SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"COLLABOT_SLACK_SIGNING_SECRET=" + secret, "COLLABOT_SLACK_API_URL=" + f.URL()}, vars...)
	return db, keys, events(prefix, m), env
}

// events makes n events: every other one carol's, changing COL-1's
// daily progress time to a value of its own (so a lost and a doubled
// application both show), the others someone asking for help.
func events(prefix string, n int) []*event {
	out := make([]*event, n)
	for i := range n {
		if i%2 == 0 {
			v := fmt.Sprintf("%02d:%02d", 9+(i/2)/60, (i/2)%60)
			out[i] = &event{id: fmt.Sprintf("Ev%s%04d", prefix, i), channel: "D0CAROL", user: "U0CAROL",
				text: "remind COL-1 daily_progress " + v, value: v}
			continue
		}
		p := slackPeople[(i/2)%len(slackPeople)]
		out[i] = &event{id: fmt.Sprintf("Ev%s%04d", prefix, i), channel: "D" + strings.TrimPrefix(p.user, "U"),
			user: p.user, text: "help"}
	}
	return out
}

// tally counts the posts carrying each outbox key in their metadata.
func tally(f *slackfake.Server) map[string]int {
	counts := map[string]int{}
	for _, p := range f.Posts() {
		if p.Metadata != nil {
			if k, ok := p.Metadata.EventPayload["key"].(string); ok {
				counts[k]++
			}
		}
	}
	return counts
}

// result is one row of the table.
type result struct {
	scenario                string
	tried, lost, duplicated int
	what                    string // what tried counts
	note                    string
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
