package bot_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

var shanghai = time.FixedZone("CST", 8*3600)

// t0 is "now" in every rule test: Monday 2026-11-23 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// org is a small company: 市场部 asks 研发部 and 财务部 for help.
func org(review bool) *bot.Directory {
	people := []bot.Person{}
	for _, id := range []string{"alice", "amy", "mark", "bob", "ben", "bella", "olivia", "oscar", "frank", "fiona", "lily", "nobody"} {
		people = append(people, bot.Person{ID: bot.PersonID(id), Name: id})
	}
	return bot.NewDirectory("acme", []bot.Department{
		{Name: "市场部", Aliases: []string{"marketing", "市场"}, Head: "alice", Contact: "amy", Members: []bot.PersonID{"alice", "amy", "mark"}, Review: review},
		{Name: "研发部", Aliases: []string{"engineering", "rd"}, Head: "bob", Contact: "ben", Members: []bot.PersonID{"bob", "ben", "bella"}},
		{Name: "运营部", Aliases: []string{"operations"}, Head: "olivia", Contact: "oscar", Members: []bot.PersonID{"olivia", "oscar"}},
		{Name: "财务部", Aliases: []string{"finance"}, Head: "frank", Contact: "fiona", Members: []bot.PersonID{"frank", "fiona"}},
	}, []bot.PersonID{"lily"}, people)
}

func request() bot.Request {
	return bot.Request{
		Topic:        "新品推广接口调试",
		Goal:         "Q4 新品上线,接口调试 3 个工作日内完成",
		Departments:  []bot.Assignment{{Department: "rd"}, {Department: "财务部"}},
		Requirements: "完成产品接口调试并提供测试报告",
		Standard:     "测试用例全部通过",
		Due:          day(14),
	}
}

// world is a collaboration brought to some stage, with its directory.
type world struct {
	t   *testing.T
	dir *bot.Directory
	c   *bot.Collaboration
	// base counts the timeline entries of the setup, so a test can tell
	// what the action under test recorded.
	base int
	// told counts the notices of the setup, likewise.
	told int
}

func (w *world) as(id string) bot.Actor { return w.dir.Actor(bot.PersonID(id)) }

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("setting up: %v", err)
	}
	if w.c != nil {
		entries, notices, _ := w.c.Pending()
		w.base, w.told = len(entries), len(notices)
	}
}

// at builds a collaboration filed by amy (市场部) and drives it to stage.
func at(t *testing.T, stage bot.CollabStatus) *world {
	t.Helper()
	w := &world{t: t, dir: org(stage == bot.StatusInReview || stage == bot.StatusRejected)}
	c, err := bot.NewCollaboration(w.dir, 1, w.as("amy"), request(), t0)
	w.must(err)
	w.c = c
	if stage == bot.StatusDraft {
		return w
	}
	w.must(c.Submit(w.dir, w.as("amy"), t0))
	switch stage {
	case bot.StatusInReview:
		return w
	case bot.StatusRejected:
		w.must(c.Review(w.dir, w.as("alice"), false, "目标不可衡量", t0))
		return w
	case bot.StatusAwaitingAck:
		return w
	case bot.StatusCancelled:
		w.must(c.Cancel(w.as("amy"), "需求取消", t0))
		return w
	}
	w.must(c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口调试"}, t0))
	w.must(c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckAccepted}, t0))
	w.must(c.AddTask(w.dir, w.as("amy"), bot.Task{ID: 1, Title: "接口调试", Department: "研发部", Owner: "ben",
		Collaborators: []bot.PersonID{"bella"}, Due: day(5), Standard: "用例全部通过"}, t0))
	w.must(c.ScheduleMeeting(w.dir, w.as("amy"), bot.Meeting{ID: 1, Kind: bot.MeetingKickoff, Start: day(1),
		Duration: time.Hour, Attendees: []bot.PersonID{"amy", "ben", "fiona"}}, t0))
	w.must(c.RaiseRisk(w.dir, w.as("ben"), bot.Risk{ID: 1, Description: "测试环境不稳定", Impact: "调试延期",
		Severity: bot.SeverityMedium, Department: "研发部"}, t0))
	if stage == bot.StatusActive {
		return w
	}
	w.must(c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "测试报告", Version: "v1", Link: "https://docs.example.com/r"}}, "已按交付标准自检", t0))
	if stage == bot.StatusAccepting {
		return w
	}
	w.must(c.Decide(w.as("amy"), bot.VerdictPass, "符合标准", nil, time.Time{}, t0))
	if stage == bot.StatusRetrospective {
		return w
	}
	w.must(c.Retrospect(w.as("amy"), bot.Retrospective{Highlights: []string{"响应快"}, Improvements: []string{"提前准备环境"}}, t0))
	w.must(c.Archive(w.as("amy"), t0))
	if stage != bot.StatusArchived {
		t.Fatalf("no such stage %q", stage)
	}
	return w
}
