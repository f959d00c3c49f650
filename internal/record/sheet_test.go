package record_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// decoded is the sheet as a script reads the JSON export.
func decoded(t *testing.T, s *record.Sheet) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := s.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	return m
}

// get follows a dotted path ("tasks.1.overdue") through decoded JSON.
func get(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestJSONSchema(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusArchived)
	m := decoded(t, record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai))
	tests := []struct {
		path string
		want any
	}{
		{"id", "COL-1"},
		{"workspace", "acme"},
		{"status", "archived"},
		{"topic", "新品推广接口调试"},
		{"goal", "Q4 新品上线,3 个工作日内完成接口调试"},
		{"requester", "amy"},
		{"requesting_department", "市场部"},
		{"coordinator", "amy"},
		{"due", "2026-12-07T10:00:00+08:00"},
		{"cadence", "每日17:00线上同步进度,每周三10:00例会"},
		{"extra.budget", "5 万"},
		{"departments.0.name", "研发部"},
		{"departments.0.contact", "ben"},
		{"departments.0.ack_status", "accepted"},
		{"departments.0.scope", "接口调试"},
		{"departments.1.name", "财务部"},
		{"reviews", []any{}},
		// WBS order: T-2 is T-1's sub-task and follows it.
		{"tasks.0.id", "T-1"},
		{"tasks.0.owner", "ben"},
		{"tasks.0.department", "研发部"},
		{"tasks.0.role", "lead"},
		{"tasks.0.status", "in_progress"},
		{"tasks.0.overdue", false},
		{"tasks.1.id", "T-2"},
		{"tasks.1.parent", "T-1"},
		{"tasks.1.status", "todo"},
		{"tasks.1.overdue", true},
		{"tasks.1.shown_status", "overdue"},
		{"tasks.1.due", "2026-11-25T10:00:00+08:00"},
		{"tasks.2.status", "needs_help"},
		{"tasks.2.role", "support"},
		{"tasks.3.status", "done"},
		{"tasks.3.overdue", false}, // done late is done
		{"tasks.4.source", "M-1"},
		{"counts.tasks", 5.0},
		{"counts.overdue", 1.0},
		{"counts.needs_help", 1.0},
		{"meetings.0.id", "M-1"},
		{"meetings.0.kind", "kickoff"},
		{"meetings.0.start", "2026-11-24T10:00:00+08:00"},
		{"meetings.0.duration_minutes", 90.0},
		{"meetings.0.attendees.2", "fiona"},
		{"meetings.0.agenda.1", "确认分工"},
		{"meetings.0.materials.0", "https://docs.example.com/plan"},
		{"meetings.0.minutes_status", "pending_confirmation"},
		{"meetings.0.decisions.0", "研发部负责接口调试,3月10日前完成初版测试"},
		{"meetings.0.actions.0", "T-5"},
		{"meetings.0.unconfirmed", []any{"fiona"}},
		{"risks.0.id", "R-1"},
		{"risks.0.severity", "medium"},
		{"risks.0.status", "open"},
		{"risks.1.id", "R-9"},
		{"risks.1.source", "M-1"},
		{"risks.1.owner", "amy"},
		{"risks.1.description", "测试环境可能延迟"},
		{"risks.2.severity", "high"},
		{"risks.2.response", "已与供应商确认,明日交付"},
		{"risks.2.owner", "ben"},
		{"risks.2.department", "研发部"},
		{"risks.3.status", "resolved"},
		{"deliverables.0.delivery", 1.0},
		{"deliverables.0.version", "v1"},
		{"deliverables.1.version", "v2"},
		{"deliverables.1.quantity", 1.0},
		{"deliverables.1.link", "https://docs.example.com/report?a=1&b=2"},
		{"acceptance.result", "pass"},
		{"acceptance.delivery", 2.0},
		{"acceptances.0.result", "fail"},
		{"acceptances.0.items", []any{"边界值测试用例"}},
		{"acceptances.0.due", "2026-11-28T10:00:00+08:00"},
		{"retrospective.highlights", []any{"信息同步及时"}},
		{"retrospective.improvements", []any{"需求描述需更细化"}},
		{"retrospective.actions", []any{"下次增加需求评审环节"}},
		{"progress.0.day", "2026-11-24"},
		{"progress.0.person", "ben"},
		{"progress.0.not_done", "接口2调试中"},
		{"progress.0.problems", "需协调测试资源"},
		{"timeline.0.action", "drafted"},
		{"timeline.0.actor", "amy"},
		{"timeline.0.at", "2026-11-23T10:00:00+08:00"},
		{"people.ben", "李工 Ben"},
		{"generated_at", "2026-11-26T10:00:00+08:00"},
	}
	for _, tt := range tests {
		got, _ := json.Marshal(get(m, tt.path))
		want, _ := json.Marshal(tt.want)
		if string(got) != string(want) {
			t.Errorf("%s = %s, want %s", tt.path, got, want)
		}
	}
}

// A draft has nothing yet; its lists are still lists, so scripts need no
// null checks, and acceptance and retrospective are explicitly null.
func TestJSONOfDraft(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusDraft)
	m := decoded(t, record.Build(s.c, nil, nil, nil, t0, shanghai))
	for _, key := range []string{"reviews", "meetings", "tasks", "risks", "deliverables", "acceptances", "progress", "timeline"} {
		if got, ok := m[key].([]any); !ok || len(got) != 0 {
			t.Errorf("%s = %#v, want []", key, m[key])
		}
	}
	for _, key := range []string{"acceptance", "retrospective"} {
		if v, ok := m[key]; !ok || v != nil {
			t.Errorf("%s = %#v, want null", key, v)
		}
	}
	if got := get(m, "departments.0.ack_status"); got != "pending" {
		t.Errorf("a department not asked yet is %v, want pending", got)
	}
	if got := get(m, "people.ben"); got != "ben" {
		t.Errorf("without a directory a person is named by id, got %v", got)
	}
}

// Overdue is judged at the now Build is given, not when the sheet is read.
func TestOverdueAtNow(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusActive)
	due2 := day(2) // T-2's due date
	tests := []struct {
		name string
		now  time.Time
		want map[string]string // task -> shown status
	}{
		{"before any due date but T-4's", day(1).Add(5 * time.Hour),
			map[string]string{"T-1": "in_progress", "T-2": "todo", "T-3": "needs_help", "T-4": "done", "T-5": "todo"}},
		{"at T-2's due instant", due2,
			map[string]string{"T-2": "todo"}},
		{"a minute past T-2's due", due2.Add(time.Minute),
			map[string]string{"T-1": "in_progress", "T-2": "overdue", "T-3": "needs_help"}},
		{"past everything", day(30),
			map[string]string{"T-1": "overdue", "T-2": "overdue", "T-3": "overdue", "T-4": "done", "T-5": "overdue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheet := record.Build(s.c, s.timeline, s.progress, s.dir, tt.now, shanghai)
			for _, task := range sheet.Tasks {
				want, ok := tt.want[task.ID]
				if !ok {
					continue
				}
				if task.ShownStatus != want || task.Overdue != (want == "overdue") {
					t.Errorf("%s: shown %s overdue %v, want %s", task.ID, task.ShownStatus, task.Overdue, want)
				}
			}
		})
	}
}
