package forms_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/forms"
)

func TestGetters(t *testing.T) {
	v := forms.Values{
		"topic":    "新品推广",
		"due":      "2026-12-01 18:00",
		"list":     "确认目标\n\n讨论分工",
		"people":   "bob,ben",
		"person":   "amy",
		"depts":    "研发部,财务部",
		"n":        "42",
		"dur":      "1h30m",
		"biz":      "3bd",
		"parent":   "T-3",
		"actions":  "bob|完成接口调试|2026-12-01 18:00\nben|写 a|b 文档|2026-12-02 09:30\nbroken line",
		"items":    "接口文档|v1.2|1|https://x.com/a\n测试报告||2|\nbad|x",
		"statuses": "T-3|needs_help|缺测试账号\nT-4|done|\nX-1|done|",
	}
	// The engine stores Values as JSON between messages.
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back forms.Values
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	v = back

	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("Text", v.Text("topic"), "新品推广")
	check("Time", v.Time("due", shanghai), time.Date(2026, 12, 1, 18, 0, 0, 0, shanghai))
	check("Time nil loc", v.Time("due", nil), time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC))
	check("List", v.List("list"), []string{"确认目标", "讨论分工"})
	check("People", v.People("people"), []bot.PersonID{"bob", "ben"})
	check("Person", v.Person("person"), bot.PersonID("amy"))
	check("Departments", v.Departments("depts"), []string{"研发部", "财务部"})
	check("Number", v.Number("n"), 42)
	check("Duration", v.Duration("dur"), 90*time.Minute)
	check("Duration of business time", v.Duration("biz"), time.Duration(0))
	check("Span", v.Span("biz"), calendar.Span{N: 3, Unit: calendar.BusinessDays})
	check("Span of a duration", v.Span("dur"), calendar.Span{Unit: calendar.Duration, D: 90 * time.Minute})
	check("Ref", v.Ref("parent"), int64(3))
	check("Actions", v.Actions("actions", shanghai), []forms.Action{
		{Owner: "bob", What: "完成接口调试", Due: time.Date(2026, 12, 1, 18, 0, 0, 0, shanghai)},
		{Owner: "ben", What: "写 a|b 文档", Due: time.Date(2026, 12, 2, 9, 30, 0, 0, shanghai)},
	})
	check("Deliverables", v.Deliverables("items"), []bot.Deliverable{
		{Name: "接口文档", Version: "v1.2", Quantity: 1, Link: "https://x.com/a"},
		{Name: "测试报告", Quantity: 2},
	})
	check("Statuses", v.Statuses("statuses"), []bot.StatusChange{
		{Task: 3, Status: bot.TaskNeedsHelp, Note: "缺测试账号"},
		{Task: 4, Status: bot.TaskDone},
	})

	// Missing or malformed keys give zero values.
	var empty forms.Values
	check("missing Text", empty.Text("x"), "")
	check("missing Time", empty.Time("x", shanghai).IsZero(), true)
	check("malformed Time", forms.Values{"x": "soon"}.Time("x", shanghai).IsZero(), true)
	check("missing List", empty.List("x"), []string(nil))
	check("missing People", empty.People("x"), []bot.PersonID(nil))
	check("missing Person", empty.Person("x"), bot.PersonID(""))
	check("missing Departments", empty.Departments("x"), []string(nil))
	check("missing Number", empty.Number("x"), 0)
	check("missing Duration", empty.Duration("x"), time.Duration(0))
	check("missing Span", empty.Span("x"), calendar.Span{})
	check("missing Ref", empty.Ref("x"), int64(0))
	check("missing Actions", empty.Actions("x", nil), []forms.Action(nil))
	check("missing Deliverables", empty.Deliverables("x"), []bot.Deliverable(nil))
	check("missing Statuses", empty.Statuses("x"), []bot.StatusChange(nil))
}

// What Parse returns, the getters read; the engine needs nothing else.
func TestParseThenGet(t *testing.T) {
	c := ctx(t)
	parse := func(tpl, key, in string) string {
		t.Helper()
		got, err := templateField(t, tpl, key).Parse(c, in)
		if err != nil {
			t.Fatalf("%s.%s: %v", tpl, key, err)
		}
		return got
	}
	v := forms.Values{
		"start":     parse("meeting", "start", "明天下午3点"),
		"duration":  parse("meeting", "duration", "一个半小时"),
		"attendees": parse("meeting", "attendees", "@bob、陈斌, @王芳Amy"),
		"agenda":    parse("meeting", "agenda", "确认目标；讨论分工"),
		"actions":   parse("minutes", "actions", "@bob 完成接口调试 12/1\n陈斌: 写文档 下周五"),
		"items":     parse("delivery", "items", "接口文档, v1.2, 2, https://docs.example.com/api"),
		"status":    parse("progress", "status", "T-3 需协助 缺测试账号"),
		"parent":    parse("task", "parent", "t3"),
	}
	loc := c.Calendar.Location()
	if got := v.Time("start", loc); !got.Equal(time.Date(2026, 11, 24, 15, 0, 0, 0, shanghai)) {
		t.Errorf("start = %v", got)
	}
	if got := v.Duration("duration"); got != 90*time.Minute {
		t.Errorf("duration = %v", got)
	}
	if got := v.People("attendees"); !reflect.DeepEqual(got, []bot.PersonID{"bob", "ben", "amy"}) {
		t.Errorf("attendees = %v", got)
	}
	if got := v.List("agenda"); !reflect.DeepEqual(got, []string{"确认目标", "讨论分工"}) {
		t.Errorf("agenda = %v", got)
	}
	if got := v.Actions("actions", loc); len(got) != 2 || got[1].Owner != "ben" || got[1].What != "写文档" ||
		!got[1].Due.Equal(time.Date(2026, 12, 4, 18, 0, 0, 0, shanghai)) {
		t.Errorf("actions = %+v", got)
	}
	if got := v.Deliverables("items"); len(got) != 1 || got[0].Quantity != 2 || got[0].Link != "https://docs.example.com/api" {
		t.Errorf("items = %+v", got)
	}
	if got := v.Statuses("status"); len(got) != 1 || got[0].Task != 3 || got[0].Status != bot.TaskNeedsHelp || got[0].Note != "缺测试账号" {
		t.Errorf("status = %+v", got)
	}
	if got := v.Ref("parent"); got != 3 {
		t.Errorf("parent = %d", got)
	}
}

// Every canonical value reads back as itself, whatever the hour, the
// person, the department or the choice: a resumed dialog must not drift.
func TestCanonicalFixedPoints(t *testing.T) {
	c := ctx(t)
	_, dir, set := fixture(t)
	check := func(f *forms.Field, canonical string) {
		t.Helper()
		if got, err := f.Parse(c, canonical); err != nil || got != canonical {
			t.Errorf("%s: Parse(%q) = %q, %v", f.Type, canonical, got, err)
		}
	}
	for _, typ := range []forms.Type{forms.TypeDate, forms.TypeDateTime} {
		for h := range 24 {
			for _, m := range []int{0, 1, 15, 30, 59} {
				check(field(typ), time.Date(2027, 2, 28, h, m, 0, 0, shanghai).Format(forms.TimeLayout))
			}
		}
	}
	for _, d := range []time.Duration{time.Second, time.Minute, 90 * time.Minute, 25 * time.Hour, 366 * 24 * time.Hour} {
		check(field(forms.TypeDuration), calendar.Span{D: d}.String())
	}
	for _, p := range dir.People {
		check(field(forms.TypePerson), string(p.ID))
	}
	for _, d := range dir.Departments {
		check(field(forms.TypeDepartment), d.Name)
	}
	for _, name := range set.Names() {
		tpl, _ := set.Get(name)
		for _, f := range tpl.Fields {
			for _, ch := range f.Choices {
				check(f, ch.Value)
			}
		}
	}
}
