package benchrun

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func canned(t *testing.T) *Results {
	t.Helper()
	f, err := os.Open("testdata/go-test.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewResults()
	if err := r.Parse(f); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParse(t *testing.T) {
	r := canned(t)
	for _, tc := range []struct {
		m    Metric
		want float64
		ok   bool
	}{
		// A line test2json cut in two is read whole.
		{Metric{"BenchmarkDialogStep/engine", "ops/s"}, 1100, true},
		{Metric{"BenchmarkDialogStep/engine", "ns/op"}, 1e6, true},
		{Metric{"BenchmarkDialogStep/raw-commit", "ops/s"}, 1375, true},
		{Metric{"BenchmarkScale/company/list", "p99-µs"}, 9023, true},
		{Metric{"BenchmarkStartup/db=1GB", "ready-ms"}, 870, true},
		{Metric{"BenchmarkStartup/db=1GB", "readyz-non200"}, 0, true},
		{Metric{"BenchmarkReplyLoad/collabot/200ev", "p50-ms"}, 0, false},
		// A log line naming a benchmark is not a result.
		{Metric{"BenchmarkScale", "p50"}, 0, false},
	} {
		got, ok := r.Value(tc.m)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%v = %v, %v; want %v, %v", tc.m, got, ok, tc.want, tc.ok)
		}
	}
	if m := Measured(r, time.Now()); !m.Date.Equal(time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)) || m.CPU != "AMD EPYC" {
		t.Errorf("measured at %v on %q", m.Date, m.CPU)
	}
	if !slices.Equal(r.Failed, []string{"github.com/collabot/collabot/scheduler"}) {
		t.Errorf("failed = %q", r.Failed)
	}
}

func TestParsePlainOutputAndMedian(t *testing.T) {
	r := NewResults()
	in := "BenchmarkFanOut-8   1   20100000000 ns/op   20.1 s/wave   1.005 ratio\n" +
		"BenchmarkFanOut-8   1   20300000000 ns/op   20.3 s/wave   1.015 ratio\n" +
		"BenchmarkFanOut-8   1   20200000000 ns/op   20.2 s/wave   1.010 ratio\n" +
		"BenchmarkNoProcs   3   5 ns/op\n"
	if err := r.Parse(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Value(Metric{"BenchmarkFanOut", "s/wave"}); v != 20.2 {
		t.Errorf("median s/wave = %v", v)
	}
	if _, ok := r.Value(Metric{"BenchmarkNoProcs", "ns/op"}); !ok {
		t.Error("a name without a GOMAXPROCS suffix is lost")
	}
}

func TestTable(t *testing.T) {
	var b strings.Builder
	Table(&b, canned(t), Machine{Date: time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC), CPU: "AMD EPYC", Cores: 2, OS: "linux/amd64", Go: "go1.26"})
	out := b.String()
	for _, want := range []string{
		"collabot bench — 2026-12-03 06:00 UTC — AMD EPYC, 2 cores, linux/amd64, go1.26",
		"| measured | collabot | baseline | baseline is | ratio |",
		"| dialog steps/s vs raw commits/s | 1100 | 1375 | one-row commits/s | ×0.80 |",
		"| `list`, 5k collaborations, p50 / p99 (µs) | 4512 / 9023 | 3008 / 6000 | empty store | ×1.50 |",
		"| start → /readyz 200, 1 GB database (ms) | 870 | 40 | empty database | ×21.75 |",
		// A row whose promise is about its p99 compares p99s.
		"| first contacts through Slack @100 ev/s, 10k people + 5k collaborations, p50 / p99 (ms; ratio of p99) | 2.20 / 31.5 | 2.10 / 12.6 | fresh deployment | ×2.50 |",
		"| idle RSS after start-up (MB) | 95.5 | 30.5 | empty database | ×3.13 |",
		// Absent benchmarks leave their cells, not the table, empty.
		"| reply @200 ev/s, p50 / p99 (ms) | — / — | — / — | echo bot, same mock | — |",
		"| fan-out 10,000 DMs: s / × ideal / claims per DM / % of a core / 429s | — / — / — / — / — |  |  |  |",
		"github.com/collabot/collabot/scheduler: benchmarks failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n| "); n != len(Rows)+1 {
		t.Errorf("%d table lines, want %d", n, len(Rows)+1)
	}
}

func TestSelect(t *testing.T) {
	if s, err := Select(nil); err != nil || len(s) != len(Suites) {
		t.Errorf("all: %v %v", s, err)
	}
	if s, err := Select([]string{"startup", "scan"}); err != nil || len(s) != 2 || s[0].Name != "startup" {
		t.Errorf("two: %v %v", s, err)
	}
	if _, err := Select([]string{"scan", "nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown: %v", err)
	}
}

func TestCommandIsOfflineAndBounded(t *testing.T) {
	cmd := Command(context.Background(), "go", "/src", Suites[0], 90*time.Second)
	args := strings.Join(cmd.Args, " ")
	for _, want := range []string{"test -run ^$ -bench ^BenchmarkReplyLoad$", "-timeout 1m30s", "-json ./adapters/slack"} {
		if !strings.Contains(args, want) {
			t.Errorf("%s lacks %q", args, want)
		}
	}
	if cmd.Dir != "/src" || !slices.Contains(cmd.Env, "GOPROXY=off") {
		t.Errorf("dir %s, env without GOPROXY=off", cmd.Dir)
	}
}

func TestFindModule(t *testing.T) {
	root, err := FindModule(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root + "/internal/benchrun"); err != nil {
		t.Errorf("module root %s: %v", root, err)
	}
	if _, err := FindModule(t.TempDir()); err == nil || !strings.Contains(err.Error(), "source checkout") {
		t.Errorf("outside a checkout: %v", err)
	}
}
