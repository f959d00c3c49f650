package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/database"
)

const exportOrg = `workspace: demo
timezone: Asia/Shanghai
language: zh-CN
departments:
  - name: 市场部
    aliases: [marketing]
    head: amy
    contact: amy
    members: [amy]
  - name: 研发部
    aliases: [rd]
    head: ben
    contact: ben
    members: [ben]
people:
  - id: amy
    name: 张敏 Amy
  - id: ben
    name: 李工 Ben
`

// exportFixture writes a config file and a database holding COL-1, as the
// bot would have left it: filed, accepted, with one task long past due
// (the export judges overdue by the wall clock).
func exportFixture(t *testing.T) (cfgPath, dbPath string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "collabot.yaml")
	dbPath = filepath.Join(dir, "data", "collabot.db")
	if err := os.WriteFile(cfgPath, []byte(exportOrg), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := database.Open(ctx, dbPath, database.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d := cfg.Directory()
	then := time.Date(2020, 6, 1, 10, 0, 0, 0, cfg.Location())
	err = store.Apply(ctx, "demo", "", func(tx bot.Tx) error {
		n, err := tx.NextID(ctx, bot.KindCollab)
		if err != nil {
			return err
		}
		c, err := bot.NewCollaboration(d, bot.CollabID(n), d.Actor("amy"), bot.Request{
			Topic: "<!channel> 新品推广接口调试", Goal: "Q4 上线", Requirements: "完成接口调试",
			Departments: []bot.Assignment{{Department: "rd"}}, Due: then.AddDate(0, 0, 14),
		}, then)
		if err != nil {
			return err
		}
		for _, step := range []error{
			c.Submit(d, d.Actor("amy"), then),
			c.Acknowledge(d.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口调试"}, then),
			c.AddTask(d, d.Actor("amy"), bot.Task{ID: 1, Title: "接口调试", Department: "研发部", Owner: "ben",
				Due: then.AddDate(0, 0, 3), Standard: "用例全部通过"}, then),
			c.PostProgress(d.Actor("ben"), bot.ProgressUpdate{Day: "2020-06-01", Done: "环境就绪"}, then),
		} {
			if step != nil {
				return step
			}
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

func exportCLI(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	return exportCLIAs(t, "export", db, args...)
}

// exportCLIAs runs a subcommand with COLLABOT_DB pointing at db.
func exportCLIAs(t *testing.T, sub, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "COLLABOT_DB" {
			return db
		}
		return ""
	}
	code := run(context.Background(), append([]string{sub}, args...), &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

func TestExportJSON(t *testing.T) {
	cfg, db := exportFixture(t)
	code, out, errOut := exportCLI(t, db, "COL-1", "--format", "json", "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sheet struct {
		ID          string `json:"id"`
		Status      string `json:"status"`
		Topic       string `json:"topic"`
		Requester   string `json:"requester"`
		Departments []struct {
			Name, Contact string
			AckStatus     string `json:"ack_status"`
		} `json:"departments"`
		Tasks []struct {
			ID          string `json:"id"`
			Owner       string `json:"owner"`
			Due         string `json:"due"`
			Overdue     bool   `json:"overdue"`
			ShownStatus string `json:"shown_status"`
		} `json:"tasks"`
		Progress []struct{ Day, Person, Done string } `json:"progress"`
		Timeline []struct{ Action string }            `json:"timeline"`
		People   map[string]string                    `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &sheet); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if sheet.ID != "COL-1" || sheet.Status != "active" || sheet.Requester != "amy" {
		t.Errorf("id %q status %q requester %q", sheet.ID, sheet.Status, sheet.Requester)
	}
	if sheet.Topic != "<!channel> 新品推广接口调试" {
		t.Errorf("JSON is data and keeps the topic as typed, got %q", sheet.Topic)
	}
	if len(sheet.Departments) != 1 || sheet.Departments[0].AckStatus != "accepted" || sheet.Departments[0].Contact != "ben" {
		t.Errorf("departments %+v", sheet.Departments)
	}
	if len(sheet.Tasks) != 1 || !sheet.Tasks[0].Overdue || sheet.Tasks[0].ShownStatus != "overdue" ||
		sheet.Tasks[0].Due != "2020-06-04T10:00:00+08:00" {
		t.Errorf("tasks %+v (want T-1 overdue, due in Shanghai time)", sheet.Tasks)
	}
	if len(sheet.Progress) != 1 || sheet.Progress[0].Done != "环境就绪" {
		t.Errorf("progress %+v", sheet.Progress)
	}
	if len(sheet.Timeline) == 0 || sheet.Timeline[0].Action != "drafted" {
		t.Errorf("timeline %+v", sheet.Timeline)
	}
	if sheet.People["ben"] != "李工 Ben" {
		t.Errorf("people %v", sheet.People)
	}
}

func TestExport(t *testing.T) {
	cfg, db := exportFixture(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		name    string
		db      string
		args    []string
		code    int
		stdout  []string
		stderr  string
		notSeen string
	}{
		{"markdown in the configured language", db, []string{"COL-1", "--config", cfg}, 0,
			[]string{"# 跨部门沟通记录表 · COL-1", "## 四、任务分工(WBS)", "🔴 **T-1** 接口调试", "李工 Ben"}, "", "<!channel>"},
		{"markdown in English", db, []string{"COL-1", "--config", cfg, "--lang", "en"}, 0,
			[]string{"# Cross-department collaboration record · COL-1", "## 4. Tasks (WBS)", "overdue"}, "", "<!channel>"},
		{"flags before the id", db, []string{"--config", cfg, "--format=csv", "col-1"}, 0,
			[]string{"\uFEFF分区,编号,字段,内容\r\n", "任务分工,T-1,看板状态,🔴 延期"}, "", "<!channel>"},
		{"unknown collaboration", db, []string{"COL-9", "--config", cfg}, 1, nil, "COL-9 was not found in workspace demo", ""},
		{"no database file", missing, []string{"COL-1", "--config", cfg}, 1, nil, "COL-1 was not found in workspace demo: there is no database", ""},
		{"missing id", db, []string{"--config", cfg}, 2, nil, "collabot export COL-n [--format md|csv|json]", ""},
		{"two ids", db, []string{"COL-1", "COL-2", "--config", cfg}, 2, nil, "name one collaboration", ""},
		{"not an id", db, []string{"T-1", "--config", cfg}, 2, nil, `"T-1" is not a collaboration id`, ""},
		{"bad format", db, []string{"COL-1", "--format", "pdf", "--config", cfg}, 2, nil, `unknown format "pdf"`, ""},
		{"bad language", db, []string{"COL-1", "--lang", "fr", "--config", cfg}, 2, nil, `unknown language "fr"`, ""},
		{"unknown flag", db, []string{"COL-1", "--nope", "--config", cfg}, 2, nil, "flag provided but not defined", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := exportCLI(t, tt.db, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			if tt.notSeen != "" && strings.Contains(out, tt.notSeen) {
				t.Errorf("stdout shows %q", tt.notSeen)
			}
			if code != 0 && out != "" {
				t.Errorf("a failed export printed %q", out)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("exporting from a missing database created %s", missing)
	}
}
