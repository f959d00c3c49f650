package reliability_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/store"
)

// The world of TestThreeHosts: who files what, the organisation's
// settings the replicas run with, and what is there before the first
// event.

// filers are the people who file, and the department each asks: one
// whose contact is on Slack, so that every notice has somewhere to go.
var filers = []struct{ id, user, dept string }{
	{"bob", "U0BOB", "运营部"}, {"david", "U0DAVID", "运营部"}, {"grace", "U0GRACE", "运营部"},
	{"carol", "U0CAROL", "市场部"}, {"chris", "U0CHRIS", "市场部"}, {"olivia", "U0OLIVIA", "市场部"},
}

// filingEvents makes each filer's events, in the order they must be
// applied: a request form, then 确认, filings in all.
func filingEvents(filings int, due time.Time) [][]*hostEvent {
	streams := make([][]*hostEvent, len(filers))
	expected := due.AddDate(0, 1, 0).Format(time.DateOnly)
	for k := range filings {
		p := filers[k%len(filers)]
		channel := "D" + strings.TrimPrefix(p.user, "U")
		form := fmt.Sprintf("发起协作\n协作主题: %s\n协作背景与目标: 三台主机同时上线\n需协助部门: %s\n具体需求描述: 接口与压测\n期望完成时间: %s",
			hostsTopic(k), p.dept, expected)
		streams[k%len(filers)] = append(streams[k%len(filers)],
			&hostEvent{id: fmt.Sprintf("EvH%05da", k), channel: channel, user: p.user, text: form},
			&hostEvent{id: fmt.Sprintf("EvH%05db", k), channel: channel, user: p.user, text: "确认"})
	}
	return streams
}

func hostsTopic(k int) string { return fmt.Sprintf("多主机演练 %d", k) }

// hostsConfig writes the demo organisation with every day a business day
// and no public holidays (the daily request goes out whatever day the
// test runs), the daily request at at, and the weekly board and digest
// off (they go to groups and heads without Slack).
func hostsConfig(t *testing.T, at string) string {
	t.Helper()
	demo, err := os.ReadFile(filepath.Join("..", "..", "configs", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	extra := fmt.Sprintf(`
calendar:
  workdays: [mon, tue, wed, thu, fri, sat, sun]
  embedded: false
timers:
  daily_progress:
    at: "%s"
  weekly_summary:
    enabled: false
  weekly_digest:
    enabled: false
`, at)
	path := filepath.Join(t.TempDir(), "collabot.yaml")
	if err := os.WriteFile(path, append(demo, extra...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// progressOwners own the open tasks of the collaboration seedProgress
// files: each is asked for progress once when the daily request falls due.
var progressOwners = []bot.PersonID{"david", "bob"}

// seedProgress files COL-1 from 运营部 (carol) to 研发部, accepted, with a
// task for each of progressOwners, straight through the lifecycle rules.
func seedProgress(t *testing.T, db store.Backend, cfgPath string) {
	t.Helper()
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	dir, now, ctx := cfg.Directory(), time.Now(), context.Background()
	err = db.Apply(ctx, workspace, "", func(tx bot.Tx) error {
		id, err := tx.NextID(ctx, bot.KindCollab)
		if err != nil {
			return err
		}
		carol := dir.Actor("carol")
		c, err := bot.NewCollaboration(dir, bot.CollabID(id), carol, bot.Request{Topic: "多主机进度", Goal: "每日进度按时收到",
			Requirements: "接口联调", Deliverables: "测试报告", Standard: "用例全部通过", Due: now.AddDate(0, 1, 0),
			Departments: []bot.Assignment{{Department: "研发部"}}}, now)
		if err != nil {
			return err
		}
		if err := c.Submit(dir, carol, now); err != nil {
			return err
		}
		if err := c.Acknowledge(dir.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "全部"}, now); err != nil {
			return err
		}
		for _, owner := range progressOwners {
			tid, err := tx.NextID(ctx, bot.KindTask)
			if err != nil {
				return err
			}
			if err := c.AddTask(dir, carol, bot.Task{ID: bot.TaskID(tid), Title: "接口联调 " + string(owner), Department: "研发部",
				Owner: owner, Due: now.AddDate(0, 0, 14), Standard: "用例通过"}, now); err != nil {
				return err
			}
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hostport is the host:port of a URL.
func hostport(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// withHost is raw with its host:port replaced.
func withHost(t *testing.T, raw, hostport string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = hostport
	return u.String()
}

// shanghai is the demo organisation's zone.
func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
