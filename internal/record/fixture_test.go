package record_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

var shanghai = time.FixedZone("CST", 8*3600)

// t0 is when the collaboration is filed: Monday 2026-11-23 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func org() *bot.Directory {
	names := map[string]string{
		"alice": "张丽 Alice", "amy": "张敏 Amy", "ben": "李工 Ben", "bella": "王贝 Bella",
		"fiona": "赵芳 Fiona", "frank": "Frank", "lily": "Lily",
	}
	var people []bot.Person
	for _, id := range []string{"alice", "amy", "ben", "bella", "fiona", "frank", "lily"} {
		people = append(people, bot.Person{ID: bot.PersonID(id), Name: names[id]})
	}
	return bot.NewDirectory("acme", []bot.Department{
		{Name: "市场部", Aliases: []string{"marketing"}, Head: "alice", Contact: "amy", Members: []bot.PersonID{"alice", "amy"}},
		{Name: "研发部", Aliases: []string{"rd"}, Head: "ben", Contact: "ben", Members: []bot.PersonID{"ben", "bella"}},
		{Name: "财务部", Aliases: []string{"finance"}, Head: "frank", Contact: "fiona", Members: []bot.PersonID{"frank", "fiona"}},
	}, []bot.PersonID{"lily"}, people)
}

// story drives one collaboration through the process the way people
// would, stopping at stage. What it records is returned with it, as the
// store would hand it back.
type story struct {
	t        *testing.T
	dir      *bot.Directory
	c        *bot.Collaboration
	timeline []bot.TimelineEntry
	progress []bot.ProgressUpdate
}

func (s *story) as(id string) bot.Actor { return s.dir.Actor(bot.PersonID(id)) }

func (s *story) do(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("setting up: %v", err)
	}
}

// save is what the store does after each event: keep what was recorded.
func (s *story) save() {
	tl, _, pr := s.c.Pending()
	s.timeline = append(s.timeline, tl...)
	s.progress = append(s.progress, pr...)
	s.c.Committed(s.c.Version + 1)
}

func request(topic string) bot.Request {
	return bot.Request{
		Topic:        topic,
		Goal:         "Q4 新品上线,3 个工作日内完成接口调试",
		Departments:  []bot.Assignment{{Department: "rd"}, {Department: "finance"}},
		Requirements: "3月8日前完成3个核心接口调试\n提供测试覆盖率≥90%的报告",
		Deliverables: "测试报告",
		Standard:     "测试用例全部通过",
		Due:          day(14),
		Scope:        "推广活动页、订单系统",
		Cadence:      "每日17:00线上同步进度,每周三10:00例会",
		Risks:        "研发部人力不足;临时协调测试组支援",
		Extra:        map[string]string{"budget": "5 万"},
	}
}

// drive files a collaboration and takes it as far as stage: draft,
// awaiting_ack, active (with tasks, meetings, progress and risks),
// accepting, retrospective or archived (a failed acceptance, a pass, a
// retrospective).
func drive(t *testing.T, topic string, stage bot.CollabStatus) *story {
	t.Helper()
	s := &story{t: t, dir: org()}
	c, err := bot.NewCollaboration(s.dir, 1, s.as("amy"), request(topic), t0)
	s.do(err)
	s.c = c
	s.save()
	if stage == bot.StatusDraft {
		return s
	}
	s.do(c.Submit(s.dir, s.as("amy"), t0))
	s.save()
	s.do(c.Acknowledge(s.as("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口调试",
		Resources: "测试环境 1 套", Risks: "测试环境不稳定", RiskID: 1}, t0.Add(time.Hour)))
	s.save()
	if stage == bot.StatusAwaitingAck {
		return s
	}
	s.do(c.Acknowledge(s.as("fiona"), "财务部", bot.Answer{Decision: bot.AckAccepted, Scope: "预算审批"}, t0.Add(2*time.Hour)))
	s.save()
	at := t0.Add(3 * time.Hour)
	for _, task := range []bot.Task{
		{ID: 1, Title: "接口调试", Department: "研发部", Owner: "ben", Collaborators: []bot.PersonID{"bella"}, Due: day(5), Standard: "用例全部通过"},
		{ID: 2, Parent: 1, Title: "编写测试用例", Department: "研发部", Owner: "bella", Due: day(2), Standard: "覆盖率≥90%"},
		{ID: 3, Title: "预算审批", Department: "财务部", Role: bot.RoleSupport, Owner: "fiona", Due: day(10), Standard: "审批单"},
		{ID: 4, Title: "准备测试环境", Department: "研发部", Owner: "ben", Due: day(1), Standard: "环境可用"},
	} {
		s.do(c.AddTask(s.dir, s.as("amy"), task, at))
		s.save()
	}
	s.do(c.ScheduleMeeting(s.dir, s.as("amy"), bot.Meeting{ID: 1, Kind: bot.MeetingKickoff, Start: day(1),
		Duration: 90 * time.Minute, Attendees: []bot.PersonID{"amy", "ben", "fiona"},
		Agenda: []string{"对齐目标", "确认分工"}, Materials: []string{"https://docs.example.com/plan"}}, at))
	s.save()
	s.do(c.RecordMinutes(s.dir, s.as("amy"), 1, []string{"研发部负责接口调试,3月10日前完成初版测试"},
		[]bot.ActionItem{{Task: bot.Task{ID: 5, Title: "补充用户场景文档", Owner: "amy", Due: day(6)}}},
		[]bot.Risk{{ID: 9, Description: "测试环境可能延迟"}}, day(1).Add(2*time.Hour)))
	s.save()
	s.do(c.ConfirmMinutes(s.as("ben"), 1, day(1).Add(3*time.Hour)))
	s.save()
	s.do(c.SetTaskStatus(s.as("ben"), 4, bot.TaskDone, "", day(1).Add(4*time.Hour)))
	s.save()
	s.do(c.PostProgress(s.as("ben"), bot.ProgressUpdate{Day: "2026-11-24", Done: "完成接口1调试,覆盖率85%",
		NotDone: "接口2调试中", Problems: "需协调测试资源",
		Changes: []bot.StatusChange{{Task: 1, Status: bot.TaskInProgress}}}, day(1).Add(7*time.Hour)))
	s.save()
	s.do(c.SetTaskStatus(s.as("fiona"), 3, bot.TaskNeedsHelp, "等待预算口径", day(1).Add(8*time.Hour)))
	s.save()
	s.do(c.RaiseRisk(s.dir, s.as("ben"), bot.Risk{ID: 2, Description: "接口供应商延迟交付", Impact: "上线延后",
		Severity: bot.SeverityHigh, Department: "研发部", Owner: "ben", Mitigation: "申请增加2名开发人员"}, day(2)))
	s.save()
	s.do(c.RespondRisk(s.as("ben"), 2, "已与供应商确认,明日交付", day(4), day(2).Add(time.Hour)))
	s.save()
	s.do(c.RaiseRisk(s.dir, s.as("fiona"), bot.Risk{ID: 3, Description: "预算口径未定", Impact: "审批延后",
		Severity: bot.SeverityLow, Department: "财务部"}, day(2)))
	s.save()
	s.do(c.ResolveRisk(s.as("fiona"), 3, "口径已定", day(2).Add(time.Hour)))
	s.save()
	if stage == bot.StatusActive {
		return s
	}
	items := []bot.Deliverable{{Name: "测试报告", Version: "v1", Quantity: 1, Link: "https://docs.example.com/report?a=1&b=2"}}
	s.do(c.Deliver(s.as("ben"), items, "已按交付标准自检", day(3)))
	s.save()
	if stage == bot.StatusAccepting {
		return s
	}
	s.do(c.Decide(s.as("amy"), bot.VerdictFail, "需补充边界值测试用例", []string{"边界值测试用例"}, day(5), day(3).Add(time.Hour)))
	s.save()
	items = []bot.Deliverable{{Name: "测试报告", Version: "v2", Quantity: 1, Link: "https://docs.example.com/report?a=1&b=2"}}
	s.do(c.Deliver(s.as("ben"), items, "已补充边界值用例", day(4)))
	s.save()
	s.do(c.Decide(s.as("amy"), bot.VerdictPass, "通过", nil, time.Time{}, day(4).Add(time.Hour)))
	s.save()
	s.do(c.Retrospect(s.as("amy"), bot.Retrospective{Highlights: []string{"信息同步及时"},
		Improvements: []string{"需求描述需更细化"}, Actions: []string{"下次增加需求评审环节"}}, day(5)))
	s.save()
	if stage == bot.StatusRetrospective {
		return s
	}
	s.do(c.Archive(s.as("amy"), day(5).Add(time.Hour)))
	s.save()
	if stage != bot.StatusArchived {
		t.Fatalf("no such stage %q", stage)
	}
	return s
}
