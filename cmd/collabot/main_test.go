package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// TestMigrateCreatesDefaultDatabase is the README's first step: in a fresh
// directory, `collabot migrate` creates data/collabot.db; a second run
// changes nothing.
func TestMigrateCreatesDefaultDatabase(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, nil, "migrate")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "applied 0001_init.sql") {
		t.Errorf("first run said %q", out)
	}
	if _, err := os.Stat(filepath.Join("data", "collabot.db")); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, nil, "migrate")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second run: exit %d, %q", code, out)
	}
}

func TestSubcommands(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("workspace: x\ntimezone: Mars/Olympus\nsurprise: 1\n"), 0o600)
	db := filepath.Join(dir, "elsewhere", "c.db")
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		stdout  string
		stderr  string
		notSeen string
	}{
		{"version", nil, []string{"version"}, 0, "collabot ", "", ""},
		{"--version", nil, []string{"--version"}, 0, "collabot ", "", ""},
		{"help lists every subcommand", nil, []string{"help"}, 0, "export", "", ""},
		{"unknown subcommand", nil, []string{"frobnicate"}, 2, "", `unknown subcommand "frobnicate"`, ""},
		{"bad flag", nil, []string{"migrate", "--nope"}, 2, "", "flag provided but not defined", ""},
		{"missing config file", nil, []string{"migrate", "--config", filepath.Join(dir, "none.yaml")}, 1, "", "none.yaml", ""},
		{"bad config names every problem", nil, []string{"migrate", "--config", bad}, 1, "", "surprise", ""},
		{"COLLABOT_DB is honoured", map[string]string{"COLLABOT_DB": db}, []string{"migrate"}, 0, "c.db: applied", "", ""},
		{"serve without a platform says so", nil, []string{"serve"}, 1, "", "no chat platform is configured", ""},
		{"serve is the default", nil, nil, 1, "", "run `collabot chat`", ""},
		{"serve with a slack token and no way to receive", map[string]string{"COLLABOT_SLACK_BOT_TOKEN": "xoxb-1"}, []string{"serve"}, 1, "", "COLLABOT_SLACK_APP_TOKEN", "xoxb-1"},
		{"serve with a bot token for an app token", map[string]string{"COLLABOT_SLACK_BOT_TOKEN": "xoxb-1", "COLLABOT_SLACK_APP_TOKEN": "xoxb-2"}, []string{"serve"}, 1, "", "xapp-", "xoxb-2"},
		{"serve with half of dingtalk", map[string]string{"COLLABOT_DINGTALK_CLIENT_ID": "ding1"}, []string{"serve"}, 1, "", "COLLABOT_DINGTALK_CLIENT_SECRET", ""},
		{"serve refuses the demo organisation on a real workspace", map[string]string{"COLLABOT_SLACK_BOT_TOKEN": "xoxb-1", "COLLABOT_SLACK_APP_TOKEN": "xapp-1"}, []string{"serve"}, 1, "", "COLLABOT_DEMO=1", "xoxb-1"},
		{"COLLABOT_CONFIG names the organisation file", map[string]string{"COLLABOT_CONFIG": bad}, []string{"migrate"}, 1, "", "surprise", ""},
		{"--config wins over COLLABOT_CONFIG", map[string]string{"COLLABOT_CONFIG": bad, "COLLABOT_DB": db}, []string{"migrate", "--config", filepath.Join(dir, "none.yaml")}, 1, "", "none.yaml", "surprise"},
		{"chat as a stranger", map[string]string{"COLLABOT_DB": db}, []string{"chat", "--as", "ghost"}, 2, "", `"ghost" is not a person`, ""},
		{"chat with a bad clock", map[string]string{"COLLABOT_DB": db}, []string{"chat", "--now", "tomorrow"}, 2, "", "RFC 3339", ""},
		{"secrets never printed", map[string]string{"COLLABOT_DB": db, "COLLABOT_SLACK_BOT_TOKEN": "xoxb-secret-123"}, []string{"migrate"}, 0, "", "", "xoxb-secret-123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(dir)
			code, out, errOut := runCLI(t, tt.env, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q lacks %q", out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			if tt.notSeen != "" && strings.Contains(out+errOut, tt.notSeen) {
				t.Errorf("output shows %q", tt.notSeen)
			}
		})
	}
}

// TestChatReadsPipedInput runs the terminal chat in-process with piped
// standard input: replies on standard output, exit at end of input.
func TestChatReadsPipedInput(t *testing.T) {
	t.Chdir(t.TempDir())
	stdin = strings.NewReader("help\n:as ben\nlist\n")
	t.Cleanup(func() { stdin = os.Stdin })
	code, out, errOut := runCLI(t, nil, "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	mustContain := []string{"you are @amy", "发起协作", "now speaking as @ben", "你还没有参与任何协作"}
	for _, w := range mustContain {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if _, err := os.Stat(filepath.Join("data", "collabot.db")); err != nil {
		t.Errorf("chat did not create the default database: %v", err)
	}
}

func TestCancelledContextStopsMigrate(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"migrate"}, &out, &errOut, func(string) string { return "" }); code == 0 {
		t.Errorf("migrate ran to completion after SIGTERM: %s", out.String())
	}
}
