package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/testkit"
)

// A deployment worth moving: the demo organisation's workspace with one
// collaboration typed through the terminal from request to archive (the
// engine's own documents, notices sent), a form left half-filled, and
// moveFixtureCollabs more walked by the lifecycle rules to every status
// the process has (tasks, a meeting with minutes, a risk, progress,
// deliveries, verdicts), saved with their notices unsent; then a
// scheduler tick that queues reminders, people met on first contact with
// their settings, a synced directory, received events, and a second
// workspace.

const moveFixtureCollabs = 540

// stages are every status a collaboration can be in.
var stages = []bot.CollabStatus{
	bot.StatusDraft, bot.StatusInReview, bot.StatusRejected, bot.StatusAwaitingAck, bot.StatusActive,
	bot.StatusAccepting, bot.StatusRetrospective, bot.StatusArchived, bot.StatusCancelled,
}

// moveBase is when the first walked collaboration was filed: a Monday,
// long before the wall clock, so that the export's "overdue" (judged by
// the wall clock) is the same whenever the test runs.
var moveBase = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// moveFixture builds the deployment in a fresh SQLite file and returns
// its path.
func moveFixture(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "source.db")
	env := map[string]string{"COLLABOT_DB": db}

	// Through the real engine, in-process: the whole process once, then a
	// request left after its first answer.
	for _, script := range []string{(flow{lang: "en"}).script(), ":as chris\nnew\n春季活动页面\n"} {
		stdin = strings.NewReader(script)
		code, out, errOut := runCLI(t, env, "chat", "--now", "2026-11-23T10:00:00+08:00")
		if code != 0 || strings.Contains(out, "⚠️") {
			t.Fatalf("chat: exit %d: %s\n%s", code, errOut, out)
		}
	}

	cfg, err := config.LoadDemo(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	dir := cfg.Directory()
	ctx := context.Background()
	s, err := database.Open(ctx, db, database.Options{Log: quietLog(),
		Clock: bot.ClockFunc(func() time.Time { return moveBase })})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const perTx = 60
	for done := 0; done < moveFixtureCollabs; done += perTx {
		err := s.Apply(ctx, "demo", fmt.Sprintf("slack:EvMove%d", done), func(tx bot.Tx) error {
			for i := done; i < done+perTx && i < moveFixtureCollabs; i++ {
				c, err := walk(ctx, tx, dir, i, stages[i%len(stages)], moveBase.Add(time.Duration(i)*time.Hour))
				if err != nil {
					return fmt.Errorf("collaboration %d (%s): %w", i, stages[i%len(stages)], err)
				}
				if err := tx.Save(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	testkit.SeedPeople(t, s, "demo", 40)
	err = s.Apply(ctx, "demo", "slack:EvMoveSettings", func(tx bot.Tx) error {
		if err := tx.SaveSettings(ctx, "U10000001", bot.Settings{Lang: bot.English, Department: "研发部",
			SnoozeUntil: moveBase.AddDate(0, 0, 3), Leave: []bot.Leave{{From: "2026-03-09", To: "2026-03-10"}}}); err != nil {
			return err
		}
		return tx.SaveSettings(ctx, "ben", bot.Settings{Lang: bot.Chinese})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveSynced(ctx, "demo", bot.Synced{
		Departments: []bot.SyncedDepartment{{Platform: bot.DingTalk, ID: "100", Name: "研发部"}},
		People: []bot.SyncedPerson{{Account: bot.Identity{Platform: bot.DingTalk, ID: "staff2051"}, Name: "陈斌 Ben", Departments: []string{"100"}},
			{Account: bot.Identity{Platform: bot.DingTalk, ID: "staff9999"}, Name: "新人 New", Departments: []string{"100"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// A second workspace in the same database goes along.
	other := *cfg
	other.Workspace = "acme"
	testkit.SeedCollaborations(t, s, other.Directory(), "acme", 12, 2, moveBase)
	s.Close()

	// The scheduler's evaluation, its ledger and what it queued.
	code, out, errOut := runCLI(t, env, "tick", "--at", "2026-03-25T17:00:00+08:00", "--queue-only")
	if code != 0 || !strings.Contains(out, "queued") {
		t.Fatalf("tick: exit %d: %s\n%s", code, errOut, out)
	}
	return db
}

// walk files collaboration i at now and drives it to stage by the
// lifecycle rules, as people would have over a few days, varying what
// each does on the way.
func walk(ctx context.Context, tx bot.Tx, dir *bot.Directory, i int, stage bot.CollabStatus, now time.Time) (*bot.Collaboration, error) {
	as := func(p string) bot.Actor { return dir.Actor(bot.PersonID(p)) }
	next := func(k bot.IDKind) int64 {
		n, err := tx.NextID(ctx, k)
		if err != nil {
			panic(err) // the store failing mid-fixture; Apply reports it
		}
		return n
	}
	// 市场部 has its requests reviewed by its head; 运营部 does not.
	requester := "chris"
	if i%2 == 0 || stage == bot.StatusInReview || stage == bot.StatusRejected {
		requester = "amy"
	}
	who := as(requester)
	id := next(bot.KindCollab)
	c, err := bot.NewCollaboration(dir, bot.CollabID(id), who, bot.Request{
		Topic: fmt.Sprintf("活动支持 %d <b>&", i), Goal: "活动页面按时上线", Requirements: "接口联调与预算审批",
		Deliverables: "测试报告", Standard: "用例全部通过", Due: now.AddDate(0, 0, 30),
		Departments: []bot.Assignment{{Department: "研发部"}, {Department: "财务部"}},
	}, now)
	if err != nil || stage == bot.StatusDraft {
		return c, err
	}
	day := func(n int, h time.Duration) time.Time { return now.AddDate(0, 0, n).Add(h) }
	var steps []func() error
	add := func(f ...func() error) { steps = append(steps, f...) }
	run := func() error {
		for k, f := range steps {
			if err := f(); err != nil {
				return fmt.Errorf("step %d: %w", k+1, err)
			}
		}
		steps = nil
		return nil
	}
	add(func() error { return c.Submit(dir, who, now) })
	if requester == "amy" {
		switch stage {
		case bot.StatusInReview:
			return c, run()
		case bot.StatusRejected:
			add(func() error { return c.Review(dir, as("alice"), false, "目标不可衡量", now) })
			return c, run()
		}
		add(func() error { return c.Review(dir, as("alice"), true, "", now) })
	}
	if stage == bot.StatusCancelled && i%2 == 0 {
		add(func() error { return c.Cancel(who, "需求取消", now.Add(time.Hour)) })
		return c, run()
	}
	add(func() error {
		return c.Acknowledge(as("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口开发与联调", Resources: "测试账号 2 个"}, now.Add(time.Hour))
	})
	if stage == bot.StatusAwaitingAck {
		if i%4 == 3 {
			add(func() error {
				return c.Acknowledge(as("fiona"), "财务部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "预算上限是多少?"}, now.Add(2*time.Hour))
			})
		}
		return c, run()
	}
	add(func() error {
		return c.Acknowledge(as("fiona"), "财务部", bot.Answer{Decision: bot.AckAccepted}, now.Add(2*time.Hour))
	})
	t1, t2, m, r := bot.TaskID(next(bot.KindTask)), bot.TaskID(next(bot.KindTask)), bot.MeetingID(next(bot.KindMeeting)), bot.RiskID(next(bot.KindRisk))
	add(func() error {
		return c.AddTask(dir, who, bot.Task{ID: t1, Title: "接口调试", Department: "研发部", Owner: "ben",
			Collaborators: []bot.PersonID{"david"}, Due: day(5, 0), Standard: "用例全部通过"}, now.Add(3*time.Hour))
	}, func() error {
		return c.AddTask(dir, who, bot.Task{ID: t2, Title: "预算审批", Department: "财务部", Owner: "fiona", Due: day(7, 0), Standard: "预算获批"}, now.Add(3*time.Hour))
	}, func() error {
		return c.ScheduleMeeting(dir, who, bot.Meeting{ID: m, Kind: bot.MeetingKickoff, Start: day(1, 0),
			Duration: time.Hour, Attendees: []bot.PersonID{who.Person, "ben", "fiona"}}, now.Add(3*time.Hour))
	}, func() error {
		return c.RecordMinutes(dir, who, m, []string{"范围确定", "每日 17:00 同步"}, nil, nil, day(1, 2*time.Hour))
	}, func() error {
		return c.ConfirmMinutes(as("ben"), m, day(1, 3*time.Hour))
	}, func() error {
		return c.RaiseRisk(dir, as("ben"), bot.Risk{ID: r, Description: "测试环境不稳定", Impact: "调试延期",
			Severity: bot.SeverityHigh, Department: "研发部", Owner: "bob"}, day(1, 4*time.Hour))
	}, func() error {
		return c.PostProgress(as("ben"), bot.ProgressUpdate{Day: day(2, 0).Format(time.DateOnly), Done: "下单接口联通",
			NotDone: "支付回调", Problems: "缺测试账号", Changes: []bot.StatusChange{{Task: t1, Status: bot.TaskNeedsHelp, Note: "缺测试账号"}}}, day(2, 8*time.Hour))
	})
	if i%3 == 0 {
		add(func() error {
			return c.RespondRisk(as("bob"), r, "切换备用通道", time.Time{}, day(2, 9*time.Hour))
		})
	}
	if stage == bot.StatusActive {
		if i%5 == 0 {
			add(func() error { return c.CancelTask(who, t2, "预算已批", day(2, 9*time.Hour)) })
		}
		return c, run()
	}
	if stage == bot.StatusCancelled {
		add(func() error { return c.Cancel(who, "活动取消", day(3, 0)) })
		return c, run()
	}
	add(func() error { return c.SetTaskStatus(as("ben"), t1, bot.TaskDone, "", day(3, 0)) },
		func() error { return c.SetTaskStatus(as("fiona"), t2, bot.TaskDone, "", day(3, 0)) },
		func() error { return c.ResolveRisk(as("bob"), r, "备用通道稳定", day(3, time.Hour)) },
		func() error {
			return c.Deliver(as("ben"), []bot.Deliverable{{Name: "测试报告", Version: "v1", Quantity: 1, Link: "https://docs.example.com/r?a=1&b=2"}},
				"已按交付标准自检", day(3, 2*time.Hour))
		})
	if stage == bot.StatusAccepting {
		return c, run()
	}
	if i%2 == 1 {
		add(func() error {
			return c.Decide(who, bot.VerdictFail, "缺少性能测试", []string{"补充性能测试"}, day(6, 0), day(4, 0))
		}, func() error {
			return c.Deliver(as("ben"), []bot.Deliverable{{Name: "性能测试报告", Version: "v2", Quantity: 1}}, "已补充", day(5, 0))
		})
	}
	add(func() error {
		return c.Decide(who, bot.VerdictPass, "符合标准", nil, time.Time{}, day(5, time.Hour))
	})
	if stage == bot.StatusRetrospective {
		return c, run()
	}
	add(func() error {
		return c.Retrospect(who, bot.Retrospective{Highlights: []string{"响应快"}, Improvements: []string{"测试环境准备晚"}}, day(6, 0))
	}, func() error { return c.Archive(who, day(6, time.Hour)) })
	return c, run()
}
