package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseBench(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		want    benchOptions
		wantErr string
	}{
		{args: nil, want: benchOptions{dir: ".", timeout: 45 * time.Minute}},
		{args: []string{"--only", "scan, startup", "--timeout", "10m", "--save", "raw.json", "--dir", "/src"},
			want: benchOptions{dir: "/src", only: []string{"scan", "startup"}, timeout: 10 * time.Minute, save: "raw.json"}},
		{args: []string{"--from", "raw.json"}, want: benchOptions{dir: ".", timeout: 45 * time.Minute, from: "raw.json"}},
		{args: []string{"--config", "c.yaml"}, want: benchOptions{dir: ".", timeout: 45 * time.Minute}},
		{args: []string{"--only", "scan,nope"}, wantErr: "no suite nope"},
		{args: []string{"--timeout", "0s"}, wantErr: "positive"},
		{args: []string{"--from", "raw.json", "--only", "scan"}, wantErr: "--from prints saved results"},
		{args: []string{"extra"}, wantErr: `unexpected "extra"`},
		{args: []string{"--bogus"}, wantErr: "bogus"},
	} {
		got, err := parseBench(tc.args, io.Discard)
		if tc.wantErr != "" {
			if err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err %v, want usage error with %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.dir != tc.want.dir || !slices.Equal(got.only, tc.want.only) || got.timeout != tc.want.timeout ||
			got.from != tc.want.from || got.save != tc.want.save {
			t.Errorf("%q = %+v, %v; want %+v", tc.args, got, err, tc.want)
		}
	}
	if _, err := parseBench([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

// `collabot bench --from` prints the table from saved `go test -json`
// output: the figures found, — for what is missing, the machine above.
func TestBenchPrintsTableFromSavedOutput(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "raw.json")
	raw := `{"Action":"output","Package":"github.com/collabot/collabot/internal/engine","Output":"BenchmarkDialogStep/engine-2   \t"}
{"Action":"output","Package":"github.com/collabot/collabot/internal/engine","Output":"  200\t 900000 ns/op\t  1250 ops/s\t  2100 p99-µs\n"}
{"Action":"output","Package":"github.com/collabot/collabot/internal/engine","Output":"BenchmarkDialogStep/raw-commit-2 \t  200\t 600000 ns/op\t  1400 ops/s\t  1500 p99-µs\n"}
{"Action":"output","Package":"github.com/collabot/collabot/cmd/collabot","Output":"BenchmarkStartup/db=1GB-2 \t 1\t 9 ns/op\t 97.25 idle-rss-MB\t 640.0 listen-ms\t 640.0 ready-ms\t 0 readyz-non200\n"}
{"Action":"pass","Package":"github.com/collabot/collabot/cmd/collabot"}
`
	if err := os.WriteFile(saved, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"bench", "--from", saved}, &stdout, &stderr, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"collabot bench — ", " cores, ",
		"| dialog steps/s vs raw commits/s | 1250 | 1400 | one-row commits/s | ×0.89 |",
		"| start → /readyz 200, 1 GB database (ms) | 640 | — | empty database | — |",
		"| idle RSS after start-up (MB) | 97.2 | — |",
		"| reply @500 ev/s, p50 / p99 (ms) | — / — |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Nothing to read is an error, not an empty table.
	empty := filepath.Join(t.TempDir(), "empty.json")
	os.WriteFile(empty, nil, 0o644)
	stdout.Reset()
	if code := run(context.Background(), []string{"bench", "--from", empty}, &stdout, &stderr, func(string) string { return "" }); code != 1 {
		t.Errorf("empty input: exit %d, want 1", code)
	}
}

func TestHelpListsBench(t *testing.T) {
	var stdout bytes.Buffer
	run(context.Background(), []string{"help"}, &stdout, io.Discard, func(string) string { return "" })
	if !strings.Contains(stdout.String(), "  bench    run the repository's benchmarks") {
		t.Errorf("help:\n%s", stdout.String())
	}
}
