package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// validOrg passes validation; each case below breaks one thing in it.
const validOrg = `
departments:
  - name: 市场部
    aliases: [marketing, 市场]
    head: alice
    contact: amy
    members: [alice, amy]
    review: true
  - name: 研发部
    aliases: [rd]
    head: bob
    contact: bob
    members: [bob]
leadership: [lily]
people:
  - {id: alice, name: 张丽 Alice, slack: U1, dingtalk: "d1"}
  - {id: amy, name: Amy, slack: U2, language: en}
  - {id: bob, name: Bob, dingtalk: "d2"}
  - {id: lily, name: Lily}
`

func TestValidOrgIsValid(t *testing.T) {
	if _, err := Load(writeFile(t, "c.yaml", validOrg), env(nil)); err != nil {
		t.Fatal(err)
	}
}

// appendedLine is the ":N:" of line n of YAML appended to validOrg.
func appendedLine(n int) string {
	return ":" + strconv.Itoa(strings.Count(validOrg, "\n")+n) + ":"
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string            // a replacement in validOrg; old == "" appends new
		env      map[string]string // overrides
		want     []string          // substrings of the error
	}{
		{"directory sync neither off nor daily", "", "", map[string]string{"COLLABOT_DIRECTORY_SYNC": "hourly"},
			[]string{`directory.sync (from COLLABOT_DIRECTORY_SYNC): "hourly" is not one of off, daily`}},
		{"head not a person", "head: alice", "head: zed", nil,
			[]string{`:5: departments[市场部].head: head "zed" is not a person in people`}},
		{"contact not a person", "contact: amy", "contact: zed", nil,
			[]string{`departments[市场部].contact: contact "zed" is not a person in people`}},
		{"member not a person", "members: [bob]", "members: [bob, zed]", nil,
			[]string{`:13: departments[研发部].members: member "zed" is not a person in people`}},
		{"plan approver not a person", "", "process:\n  plan_approval: true\n  plan_approver: zed\n", nil,
			[]string{`process.plan_approver: "zed" is not a person in people`}},
		{"plan approver a department's contact", "", "process:\n  plan_approval: true\n  plan_approver: amy\n", nil,
			[]string{`process.plan_approver: "amy" is the contact of 市场部 and may not decide its plans`}},
		{"process switch not a boolean", "", "process:\n  signoff: sometimes\n", nil,
			[]string{"`sometimes` into bool"}},
		{"signoff timer not a span", "", "timers:\n  signoff:\n    after: soon\n", nil,
			[]string{"timers.signoff.after"}},
		{"leadership not a person", "leadership: [lily]", "leadership: [lily, zed]", nil,
			[]string{`:14: leadership: leader "zed" is not a person in people`}},
		{"head missing", "    head: bob\n", "", nil,
			[]string{`departments[研发部].head: a department needs a head`}},
		{"contact missing", "    contact: bob\n", "", nil,
			[]string{`departments[研发部].contact: a department needs a contact`}},
		{"duplicate person", "", "  - {id: bob, name: Bob Two}\n", nil,
			[]string{appendedLine(1) + ` people[4].id: "bob" is used by two people`}},
		{"person without id", "", "  - {name: Nobody}\n", nil,
			[]string{`people[4].id: a person needs an id`}},
		{"person id with a space", "{id: lily,", "{id: li ly,", nil,
			[]string{`"li ly": a person id is one word`}},
		{"person id with a colon", "{id: lily,", "{id: slack:lily,", nil,
			[]string{`"slack:lily": a person id is one word`}},
		{"department name with a separator", "name: 研发部", "name: 研发部、测试部", nil,
			[]string{`"研发部、测试部": a department name cannot hold`}},
		{"duplicate department", "name: 研发部", "name: 市场部", nil,
			[]string{`:9: departments[市场部].name: "市场部" is already the name or an alias of 市场部`}},
		{"alias of two departments", "aliases: [rd]", "aliases: [rd, Marketing]", nil,
			[]string{`:10: departments[研发部].aliases: "Marketing" is already the name or an alias of 市场部`}},
		{"alias is another department's name", "aliases: [rd]", "aliases: [rd, 市场部]", nil,
			[]string{`departments[研发部].aliases: "市场部" is already the name or an alias of 市场部`}},
		{"same slack id", "slack: U2", "slack: U1", nil,
			[]string{`:17: people[amy].slack: Slack id "U1" is already alice's`}},
		{"same dingtalk id", `dingtalk: "d2"`, `dingtalk: "d1"`, nil,
			[]string{`:18: people[bob].dingtalk: DingTalk id "d1" is already alice's`}},
		{"bad person language", "language: en", "language: fr", nil,
			[]string{`people[amy].language: "fr" is not a language`}},
		{"bad time zone", "", "timezone: Asia/Shangai\n", nil,
			[]string{appendedLine(1) + ` timezone: "Asia/Shangai" is not an IANA time zone`}},
		{"empty time zone", "", "timezone: \"\"\n", nil,
			[]string{`timezone: must not be empty`}},
		{"bad time zone from env", "", "", map[string]string{"COLLABOT_TIMEZONE": "Mars/Olympus"},
			[]string{`timezone (from COLLABOT_TIMEZONE): "Mars/Olympus" is not an IANA time zone`}},
		{"templates folder missing", "", "templates: no/such/folder\n", nil,
			[]string{`templates: "`, `no/such/folder" is not a folder of form templates`}},
		{"bad language", "", "language: klingon\n", nil,
			[]string{`language: "klingon" is not a language: use zh-CN or en`}},
		{"bad language from env", "", "", map[string]string{"COLLABOT_LANG": "fr"},
			[]string{`language (from COLLABOT_LANG): "fr"`}},
		{"bad work hours", "", "calendar: {work_hours: \"9-18\"}\n", nil,
			[]string{appendedLine(1) + ` calendar.work_hours: "9-18" is not a working day like 09:00-18:00`}},
		{"work hours backwards", "", "calendar: {work_hours: \"18:00-09:00\"}\n", nil,
			[]string{`calendar.work_hours: "18:00-09:00" ends before it starts`}},
		{"unknown weekday", "", "calendar:\n  workdays: [mon, tue, funday]\n", nil,
			[]string{appendedLine(2) + ` calendar.workdays: "funday" is not a day of the week`}},
		{"no workdays", "", "calendar: {workdays: []}\n", nil,
			[]string{`calendar.workdays: needs at least one working day`}},
		{"bad span", "", "timers:\n  acknowledgement:\n    after: 1 bizday\n", nil,
			[]string{appendedLine(3) + ` timers.acknowledgement.after: invalid delay "1 bizday"`}},
		{"negative span", "", "timers: {risk_response: {after: -24h}}\n", nil,
			[]string{`timers.risk_response.after: invalid delay "-24h"`}},
		{"bad span in a disabled timer", "", "timers: {agenda: {enabled: false, before: tomorrow}}\n", nil,
			[]string{`timers.agenda.before: invalid delay "tomorrow"`}},
		{"bad clock", "", "timers: {daily_progress: {at: \"5pm\"}}\n", nil,
			[]string{`timers.daily_progress.at: "5pm" is not a time of day like 17:00`}},
		{"clock out of range", "", "timers: {daily_progress: {summary_at: \"24:00\"}}\n", nil,
			[]string{`timers.daily_progress.summary_at: "24:00" is not a time of day`}},
		{"bad weekly day", "", "timers: {weekly_summary: {weekday: someday}}\n", nil,
			[]string{`timers.weekly_summary.weekday: "someday" is not a day of the week`}},
		{"bad channel", "", "channels: {C0123: {language: en}}\n", nil,
			[]string{`channels.C0123: is not a chat like slack:C0123`}},
		{"bad channel language", "", "channels: {\"slack:C0123\": {language: fr}}\n", nil,
			[]string{`channels.slack:C0123.language: "fr" is not a language`}},
		{"bad log level", "", "", map[string]string{"COLLABOT_LOG_LEVEL": "loud"},
			[]string{`log.level (from COLLABOT_LOG_LEVEL): "loud" is not one of debug, info, warn, error`}},
		{"bad log format", "", "log: {format: xml}\n", nil,
			[]string{appendedLine(1) + ` log.format: "xml" is not one of text, json`}},
		{"bad http addr", "", "", map[string]string{"COLLABOT_HTTP_ADDR": "8080"},
			[]string{`http_addr (from COLLABOT_HTTP_ADDR): "8080" is not a listen address`}},
		{"bad admin addr", "", "", map[string]string{"COLLABOT_ADMIN_ADDR": "9090"},
			[]string{`admin_addr (from COLLABOT_ADMIN_ADDR): "9090" is not a listen address`}},
		{"bad redis url", "", "", map[string]string{"COLLABOT_REDIS_URL": "http://:pw@r"},
			[]string{`redis_url (from COLLABOT_REDIS_URL): is not a URL like redis://`}},
		{"bad database url", "", "", map[string]string{"COLLABOT_DATABASE_URL": "mysql://u:pw@db/x"},
			[]string{`database_url (from COLLABOT_DATABASE_URL): is not a URL like postgres://`}},
		{"bad api url", "", "slack: {api_url: slack.com}\n", nil,
			[]string{`slack.api_url: "slack.com" is not an http(s) URL`}},
		{"empty workspace", "", "workspace: \"\"\n", nil,
			[]string{`workspace: must not be empty`}},
		{"zero idle timeout", "", "dialog: {idle_timeout: 0s}\n", nil,
			[]string{`dialog.idle_timeout: 0s must be positive`}},
		{"bad retention", "", "retention: {events: a week}\n", map[string]string{"COLLABOT_RETENTION_SENT": "0d"},
			[]string{`retention.events: "a week" is not a positive duration`, `retention.sent (from COLLABOT_RETENTION_SENT): "0d" is not a number of days`}},
		{"bad DingTalk limits", "", "dingtalk: {app_per_second: fast}\n", map[string]string{"COLLABOT_DINGTALK_GROUP_PER_MINUTE": "-1"},
			[]string{`dingtalk.app_per_second: "fast" is not a positive number`, `dingtalk.group_per_minute (from COLLABOT_DINGTALK_GROUP_PER_MINUTE): "-1" is not a positive number`}},
		{"missing calendar file", "", "calendar: {files: [nope.yaml]}\n", nil,
			[]string{appendedLine(1) + ` calendar.files[0]: open `, `nope.yaml: no such file`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := validOrg + tt.new
			if tt.old != "" {
				if !strings.Contains(validOrg, tt.old) {
					t.Fatalf("validOrg has no %q", tt.old)
				}
				text = strings.Replace(validOrg, tt.old, tt.new, 1)
			}
			path := writeFile(t, "collabot.yaml", text)
			_, err := Load(path, env(tt.env))
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("Load = %v, want a *config.Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain %q", err, w)
				}
			}
			if tt.env == nil && !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file %s: %v", path, err)
			}
		})
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	text := strings.NewReplacer("head: alice", "head: zed", "slack: U2", "slack: U1").Replace(validOrg) +
		"timezone: Nowhere/City\ntimers: {minutes: {after: soon}}\n"
	_, err := Load(writeFile(t, "c.yaml", text), env(map[string]string{"COLLABOT_LANG": "xx"}))
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("Load = %v, want a *config.Error", err)
	}
	keys := map[string]bool{}
	for _, p := range cerr.Problems {
		keys[p.Key] = true
	}
	for _, k := range []string{"timezone", "language", "timers.minutes.after", "departments[市场部].head", "people[amy].slack"} {
		if !keys[k] {
			t.Errorf("no problem reported for %s in:\n%v", k, err)
		}
	}
	if !strings.HasPrefix(err.Error(), "config: 5 problems") {
		t.Errorf("error = %v, want it to count 5 problems", err)
	}
	if cerr.Problems[1].Env != "COLLABOT_LANG" {
		t.Errorf("language problem %+v does not name COLLABOT_LANG", cerr.Problems[1])
	}
}

func TestProcessSwitches(t *testing.T) {
	c, err := Load(writeFile(t, "c.yaml", validOrg+"process:\n  signoff: true\n  plan_approval: true\n  plan_approver: lily\ntimers:\n  plan_decision:\n    after: 2bd\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	w := c.Process.Workflow()
	if !w.Signoff || !w.PlanApproval || w.PlanApprover != "lily" || c.Timers.PlanDecision.After.String() != "2bd" || !c.Timers.Signoff.Enabled {
		t.Fatalf("workflow %+v, timers %+v / %+v", w, c.Timers.PlanDecision, c.Timers.Signoff)
	}
	d, err := LoadDemo(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d.Process.Signoff || d.Process.PlanApproval {
		t.Errorf("the demo runs the optional steps: %+v", d.Process)
	}
}
