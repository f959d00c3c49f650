package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/bot"
)

// env is a getenv over a fixed map, so tests never see the real environment.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// writeFile writes a config file into a fresh temp dir and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaultsWithoutFile(t *testing.T) {
	t.Chdir(t.TempDir()) // no configs/collabot.yaml here
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"file", c.File(), ""},
		{"workspace", c.Workspace, "default"},
		{"timezone", c.Location().String(), "Asia/Shanghai"},
		{"language", string(c.Lang()), string(bot.Chinese)},
		{"db", c.DB, "data/collabot.db"},
		{"http_addr", c.HTTPAddr, ":8080"},
		{"redis_url", c.RedisURL, ""},
		{"slack.api_url", c.Slack.APIURL, DefaultSlackAPI},
		{"dingtalk.api_url", c.DingTalk.APIURL, DefaultDingTalkAPI},
		{"log.level", c.Log.Level, "info"},
		{"log.format", c.Log.Format, "text"},
		{"work_hours", c.Business.WorkHours.String(), "09:00-18:00"},
		{"ack.after", c.Timers.Acknowledgement.After.Span.String(), "1bd"},
		{"ack.escalate_after", c.Timers.Acknowledgement.EscalateAfter.Span.String(), "4bh"},
		{"agenda.before", c.Timers.Agenda.Before.Span.String(), "24h"},
		{"minutes.after", c.Timers.Minutes.After.Span.String(), "2h"},
		{"minutes_confirmation.after", c.Timers.MinutesConfirmation.After.Span.String(), "1bd"},
		{"daily_progress.grace", c.Timers.DailyProgress.Grace.Span.String(), "2h"},
		{"task_due.escalate_after", c.Timers.TaskDue.EscalateAfter.Span.String(), "1bd"},
		{"risk_response.after", c.Timers.RiskResponse.After.Span.String(), "9bh"},
		{"acceptance.after", c.Timers.Acceptance.After.Span.String(), "3bd"},
		{"retrospective.after", c.Timers.Retrospective.After.Span.String(), "3bd"},
		{"weekly_summary.weekday", c.Timers.WeeklySummary.Weekday.Day.String(), "Monday"},
		{"dialog.idle_timeout", c.Dialog.IdleTimeout.String(), "30m0s"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	if got := c.Timers.DailyProgress.At.Offset(); got != 17*time.Hour {
		t.Errorf("daily_progress.at = %v, want 17h", got)
	}
	if got := c.Timers.DailyProgress.SummaryAt.Offset(); got != 18*time.Hour {
		t.Errorf("daily_progress.summary_at = %v, want 18h", got)
	}
	if len(c.Business.Workdays) != 5 || !c.Business.Embedded {
		t.Errorf("calendar = %+v, want Monday to Friday with embedded calendars", c.Business)
	}
	if !c.Timers.Acknowledgement.Enabled || !c.Timers.WeeklySummary.Enabled {
		t.Error("timers are not enabled by default")
	}
	if d := c.Directory(); len(d.Departments) != 0 || len(d.People) != 0 {
		t.Errorf("default directory is not empty: %+v", d)
	}
}

func TestLoadPicksDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("configs", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(DefaultConfigPath, []byte("workspace: found\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Workspace != "found" || c.File() != DefaultConfigPath {
		t.Errorf("workspace %q from %q, want found from %s", c.Workspace, c.File(), DefaultConfigPath)
	}
}

func TestLoadExplicitMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path, env(nil))
	if err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want a not-exist error naming %s", err, path)
	}
}

func TestLoadEmptyFileKeepsDefaults(t *testing.T) {
	c, err := Load(writeFile(t, "c.yaml", "# nothing set yet\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Workspace != DefaultWorkspace || c.Timezone != DefaultTimezone {
		t.Errorf("got %q %q, want defaults", c.Workspace, c.Timezone)
	}
}

func TestLoadPrecedence(t *testing.T) {
	file := `
timezone: Europe/Berlin
language: en
db: /var/lib/collabot/file.db
http_addr: 127.0.0.1:9000
slack: {bot_token: xoxb-file, api_url: "http://file.test/api/"}
log: {level: debug}
timers:
  acknowledgement: {after: 2bd}
  weekly_summary: {weekday: 周三, at: "09:30"}
calendar: {workdays: [周一, 周二, 周三, 周四, 周五, 周六], work_hours: "08:30-17:30"}
`
	tests := []struct {
		name string
		env  map[string]string
		get  func(*Config) string
		want string
	}{
		{"file wins over default", nil, func(c *Config) string { return c.Timezone }, "Europe/Berlin"},
		{"file language", nil, func(c *Config) string { return string(c.Lang()) }, "en"},
		{"default kept when file is silent", nil, func(c *Config) string { return c.Log.Format }, "text"},
		{"file timer", nil, func(c *Config) string { return c.Timers.Acknowledgement.After.Span.String() }, "2bd"},
		{"unset timer value keeps default", nil, func(c *Config) string { return c.Timers.Acknowledgement.EscalateAfter.Span.String() }, "4bh"},
		{"unset enabled keeps default", nil, func(c *Config) string {
			return map[bool]string{true: "on", false: "off"}[c.Timers.Acknowledgement.Enabled]
		}, "on"},
		{"chinese weekday", nil, func(c *Config) string { return c.Timers.WeeklySummary.Weekday.Day.String() }, "Wednesday"},
		{"clock", nil, func(c *Config) string { return c.Timers.WeeklySummary.At.Offset().String() }, "9h30m0s"},
		{"six-day week", nil, func(c *Config) string { return c.Business.Workdays[5].Day.String() }, "Saturday"},
		{"work hours", nil, func(c *Config) string { return c.Business.WorkHours.Start.String() }, "8h30m0s"},
		{"empty env is unset", map[string]string{"COLLABOT_DB": ""}, func(c *Config) string { return c.DB }, "/var/lib/collabot/file.db"},
		{"env beats file", map[string]string{"COLLABOT_TIMEZONE": "America/New_York"}, func(c *Config) string { return c.Location().String() }, "America/New_York"},
		{"env language normalised", map[string]string{"COLLABOT_LANG": "zh"}, func(c *Config) string { return c.Language }, "zh-CN"},
		{"COLLABOT_DB", map[string]string{"COLLABOT_DB": "/tmp/x.db"}, func(c *Config) string { return c.DB }, "/tmp/x.db"},
		{"COLLABOT_DATABASE_URL", map[string]string{"COLLABOT_DATABASE_URL": "postgres://pg:5432/c"}, func(c *Config) string { return c.DatabaseURL }, "postgres://pg:5432/c"},
		{"COLLABOT_DATABASE_URL is the database", map[string]string{"COLLABOT_DATABASE_URL": "postgres://pg:5432/c"}, func(c *Config) string { return c.Database() }, "postgres://pg:5432/c"},
		{"without it COLLABOT_DB is", map[string]string{"COLLABOT_DB": "/tmp/x.db"}, func(c *Config) string { return c.Database() }, "/tmp/x.db"},
		{"COLLABOT_HTTP_ADDR", map[string]string{"COLLABOT_HTTP_ADDR": ":9999"}, func(c *Config) string { return c.HTTPAddr }, ":9999"},
		{"COLLABOT_ADMIN_ADDR", map[string]string{"COLLABOT_ADMIN_ADDR": "127.0.0.1:9090"}, func(c *Config) string { return c.AdminAddr }, "127.0.0.1:9090"},
		{"COLLABOT_REDIS_URL", map[string]string{"COLLABOT_REDIS_URL": "redis://r:6379/1"}, func(c *Config) string { return c.RedisURL }, "redis://r:6379/1"},
		{"COLLABOT_SLACK_BOT_TOKEN", map[string]string{"COLLABOT_SLACK_BOT_TOKEN": "xoxb-env"}, func(c *Config) string { return c.Slack.BotToken }, "xoxb-env"},
		{"COLLABOT_SLACK_APP_TOKEN", map[string]string{"COLLABOT_SLACK_APP_TOKEN": "xapp-env"}, func(c *Config) string { return c.Slack.AppToken }, "xapp-env"},
		{"COLLABOT_SLACK_SIGNING_SECRET", map[string]string{"COLLABOT_SLACK_SIGNING_SECRET": "sig"}, func(c *Config) string { return c.Slack.SigningSecret }, "sig"},
		{"COLLABOT_SLACK_API_URL", map[string]string{"COLLABOT_SLACK_API_URL": "http://127.0.0.1:1/api/"}, func(c *Config) string { return c.Slack.APIURL }, "http://127.0.0.1:1/api/"},
		{"COLLABOT_DINGTALK_CLIENT_ID", map[string]string{"COLLABOT_DINGTALK_CLIENT_ID": "ding-id"}, func(c *Config) string { return c.DingTalk.ClientID }, "ding-id"},
		{"COLLABOT_DINGTALK_CLIENT_SECRET", map[string]string{"COLLABOT_DINGTALK_CLIENT_SECRET": "ding-secret"}, func(c *Config) string { return c.DingTalk.ClientSecret }, "ding-secret"},
		{"COLLABOT_DINGTALK_ROBOT_CODE", map[string]string{"COLLABOT_DINGTALK_ROBOT_CODE": "robot"}, func(c *Config) string { return c.DingTalk.RobotCode }, "robot"},
		{"COLLABOT_DINGTALK_API_URL", map[string]string{"COLLABOT_DINGTALK_API_URL": "http://127.0.0.1:2"}, func(c *Config) string { return c.DingTalk.APIURL }, "http://127.0.0.1:2"},
		{"COLLABOT_SLACK_TEAM_ID", map[string]string{"COLLABOT_SLACK_TEAM_ID": "T0ACME"}, func(c *Config) string { return c.Slack.TeamID }, "T0ACME"},
		{"COLLABOT_DINGTALK_CORP_ID", map[string]string{"COLLABOT_DINGTALK_CORP_ID": "ding0acme"}, func(c *Config) string { return c.DingTalk.CorpID }, "ding0acme"},
		{"COLLABOT_DINGTALK_APP_PER_SECOND", map[string]string{"COLLABOT_DINGTALK_APP_PER_SECOND": "40"}, func(c *Config) string { return fmt.Sprint(c.DingTalk.AppPerSecond()) }, "40"},
		{"COLLABOT_DINGTALK_GROUP_PER_MINUTE", map[string]string{"COLLABOT_DINGTALK_GROUP_PER_MINUTE": "12.5"}, func(c *Config) string { return fmt.Sprint(c.DingTalk.GroupPerMinute()) }, "12.5"},
		{"COLLABOT_DINGTALK_CARD_ACK", map[string]string{"COLLABOT_DINGTALK_CARD_ACK": "tpl-ack.schema"}, func(c *Config) string { return c.DingTalk.Cards.Ack }, "tpl-ack.schema"},
		{"COLLABOT_DINGTALK_CARD_REVIEW", map[string]string{"COLLABOT_DINGTALK_CARD_REVIEW": "tpl-review.schema"}, func(c *Config) string { return c.DingTalk.Cards.Review }, "tpl-review.schema"},
		{"COLLABOT_DINGTALK_CARD_TASK", map[string]string{"COLLABOT_DINGTALK_CARD_TASK": "tpl-task.schema"}, func(c *Config) string { return c.DingTalk.Cards.Task }, "tpl-task.schema"},
		{"COLLABOT_DINGTALK_CARD_PROGRESS", map[string]string{"COLLABOT_DINGTALK_CARD_PROGRESS": "tpl-progress.schema"}, func(c *Config) string { return c.DingTalk.Cards.Progress }, "tpl-progress.schema"},
		{"COLLABOT_DINGTALK_CARD_MINUTES", map[string]string{"COLLABOT_DINGTALK_CARD_MINUTES": "tpl-minutes.schema"}, func(c *Config) string { return c.DingTalk.Cards.Minutes }, "tpl-minutes.schema"},
		{"COLLABOT_DINGTALK_CARD_RISK", map[string]string{"COLLABOT_DINGTALK_CARD_RISK": "tpl-risk.schema"}, func(c *Config) string { return c.DingTalk.Cards.Risk }, "tpl-risk.schema"},
		{"COLLABOT_DINGTALK_CARD_ACCEPTANCE", map[string]string{"COLLABOT_DINGTALK_CARD_ACCEPTANCE": "tpl-acceptance.schema"}, func(c *Config) string { return c.DingTalk.Cards.Acceptance }, "tpl-acceptance.schema"},
		{"COLLABOT_DINGTALK_CARD_FORM", map[string]string{"COLLABOT_DINGTALK_CARD_FORM": "tpl-form.schema"}, func(c *Config) string { return c.DingTalk.Cards.Form }, "tpl-form.schema"},
		{"COLLABOT_DINGTALK_CARD_NOTICE", map[string]string{"COLLABOT_DINGTALK_CARD_NOTICE": "tpl-notice.schema"}, func(c *Config) string { return c.DingTalk.Cards.Notice }, "tpl-notice.schema"},
		{"default DingTalk limits", nil, func(c *Config) string { return fmt.Sprint(c.DingTalk.AppPerSecond(), c.DingTalk.GroupPerMinute()) }, "20 20"},
		{"COLLABOT_RETENTION_EVENTS", map[string]string{"COLLABOT_RETENTION_EVENTS": "2d"}, func(c *Config) string { return c.Retention.EventsAge().String() }, "48h0m0s"},
		{"COLLABOT_RETENTION_SENT", map[string]string{"COLLABOT_RETENTION_SENT": "36h"}, func(c *Config) string { return c.Retention.SentAge().String() }, "36h0m0s"},
		{"default event retention", nil, func(c *Config) string { return c.Retention.EventsAge().String() }, "168h0m0s"},
		{"default sent retention", nil, func(c *Config) string { return c.Retention.SentAge().String() }, "720h0m0s"},
		{"COLLABOT_WEB_SECRET", map[string]string{"COLLABOT_WEB_SECRET": "s3cret"}, func(c *Config) string { return c.Web.Secret }, "s3cret"},
		{"COLLABOT_WEB_URL", map[string]string{"COLLABOT_WEB_URL": "https://board.test"}, func(c *Config) string { return c.Web.URL }, "https://board.test"},
		{"COLLABOT_WEB_ADDR", map[string]string{"COLLABOT_WEB_ADDR": ":8081"}, func(c *Config) string { return c.Web.Addr }, ":8081"},
		{"COLLABOT_LOG_LEVEL", map[string]string{"COLLABOT_LOG_LEVEL": "WARN"}, func(c *Config) string { return c.Log.SlogLevel().String() }, "WARN"},
		{"COLLABOT_LOG_FORMAT", map[string]string{"COLLABOT_LOG_FORMAT": "json"}, func(c *Config) string { return c.Log.Format }, "json"},
		{"COLLABOT_TEMPLATES", map[string]string{"COLLABOT_TEMPLATES": os.TempDir()}, func(c *Config) string { return c.Templates }, os.TempDir()},
		{"COLLABOT_DIRECTORY_SYNC", map[string]string{"COLLABOT_DIRECTORY_SYNC": "Daily"}, func(c *Config) string { return c.PlatformDirectory.Sync }, "daily"},
	}
	path := writeFile(t, "collabot.yaml", file)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(path, env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEveryEnvVarIsTested(t *testing.T) {
	// The precedence table above names each variable; this keeps the
	// table and envVars from drifting apart.
	src, err := os.ReadFile("load_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range EnvVars() {
		if !strings.Contains(string(src), `{"`+name+`"`) {
			t.Errorf("%s has no precedence test", name)
		}
	}
}

func TestLoadUnknownKey(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"top level", "workspace: a\ntimezon: Asia/Shanghai\n", `:2: timezon: unknown key (known here: workspace, timezone,`},
		{"section", "slack:\n  bot_tokn: x\n", `:2: slack.bot_tokn: unknown key`},
		{"timer name", "timers:\n  acknowledgment: {after: 1bd}\n", `:2: timers.acknowledgment: unknown key (known here: acknowledgement, agenda,`},
		{"inside a timer", "timers:\n  acknowledgement:\n    enable: false\n", `:3: enable: unknown key (known here: enabled, after, escalate_after)`},
		{"department", "departments:\n  - name: x\n    heads: [a]\n", `:3: departments[].heads: unknown key`},
		{"person", "people:\n  - id: a\n    email: a@b.c\n", `:3: people[].email: unknown key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "collabot.yaml", tt.yaml)
			_, err := Load(path, env(nil))
			if err == nil || !strings.Contains(err.Error(), path+tt.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, path+tt.want)
			}
		})
	}
}

func TestLoadYAMLErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"syntax", "workspace: a\ndepartments: [\n", ":2: did not find expected node content"},
		{"type", "workspace: a\ndialog: {idle_timeout: soon}\n", ":2: cannot unmarshal"},
		{"list for a scalar", "timers:\n  agenda:\n    before: [24h]\n", ":3: expected a single value"},
		{"two documents", "workspace: a\n---\nworkspace: b\n", "more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "collabot.yaml", tt.yaml)
			_, err := Load(path, env(nil))
			var cerr *Error
			if !errors.As(err, &cerr) || cerr.File != path || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant an *Error for %s containing %q", err, path, tt.want)
			}
		})
	}
}

func TestLoadDemo(t *testing.T) {
	c, err := LoadDemo(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Workspace != "demo" || c.Lang() != bot.Chinese {
		t.Errorf("workspace %q lang %q, want demo zh-CN", c.Workspace, c.Lang())
	}
	d := c.Directory()
	for alias, want := range map[string]string{
		"mkt": "市场部", "Marketing": "市场部", "市场": "市场部",
		"DEV": "研发部", "rd": "研发部", "engineering": "研发部", "研发": "研发部",
		"ops": "运营部", "运营": "运营部", "finance": "财务部", "财务": "财务部", "legal": "法务部",
	} {
		got, err := d.ResolveDepartment(alias)
		if err != nil || got.Name != want {
			t.Errorf("ResolveDepartment(%q) = %q, %v; want %s", alias, got.Name, err, want)
		}
	}
	if mkt, _ := d.Department("市场部"); !mkt.Review || mkt.Head == "" || mkt.Contact == "" {
		t.Errorf("市场部 = %+v, want review on with a head and a contact", mkt)
	}
	if len(d.Leadership) == 0 || !d.IsLeadership(d.Leadership[0]) {
		t.Errorf("no leadership in the demo")
	}
	alice, ok := d.ByIdentity(bot.Slack, "U0ALICE")
	if !ok || alice.ID != "alice" {
		t.Fatalf("ByIdentity(slack U0ALICE) = %+v, %v", alice, ok)
	}
	if id, ok := alice.Identity(bot.DingTalk); !ok || id == "" {
		t.Errorf("alice has no DingTalk identity")
	}
	var english int
	for _, p := range d.People {
		if p.Lang == bot.English {
			english++
		}
	}
	if english == 0 {
		t.Error("nobody in the demo reads English")
	}
	// The environment still applies to the demo.
	c, err = LoadDemo(env(map[string]string{"COLLABOT_LANG": "en"}))
	if err != nil || c.Lang() != bot.English {
		t.Errorf("LoadDemo with COLLABOT_LANG=en: lang %v, err %v", c.Lang(), err)
	}
}

func TestExampleLoads(t *testing.T) {
	path := filepath.Join("..", "..", "configs", "collabot.example.yaml")
	c, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Workspace != "acme" || len(c.Departments) == 0 {
		t.Errorf("example: workspace %q, %d departments", c.Workspace, len(c.Departments))
	}
	if _, err := c.Calendar(nil); err != nil {
		t.Errorf("example calendar: %v", err)
	}
	// The example documents every key and every variable.
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for typ, sec := range sections {
		if strings.Contains(typ, "calendarFile") || strings.Contains(typ, "holiday") || strings.Contains(typ, "makeup") {
			continue // the calendar file format, not this file
		}
		for _, k := range sec.keys {
			if !strings.Contains(string(text), k+":") {
				t.Errorf("example does not show %s%s", sec.prefix, k)
			}
		}
	}
	for _, name := range EnvVars() {
		if !strings.Contains(string(text), name) {
			t.Errorf("example does not mention %s", name)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	// A config printed as YAML (e.g. to show the effective settings) loads
	// back to the same values, spans and clocks as they were written.
	c, err := LoadDemo(env(map[string]string{"COLLABOT_SLACK_BOT_TOKEN": "xoxb-x"}))
	if err != nil {
		t.Fatal(err)
	}
	c.Timers.Acknowledgement.After = mustSpan("2 business days")
	out, err := yaml.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load(writeFile(t, "printed.yaml", string(out)), env(nil))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	again, err := yaml.Marshal(back.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(out) {
		t.Errorf("round trip changed the config:\n got %s\nwant %s", again, out)
	}
	if back.Timers.Acknowledgement.After.String() != "2 business days" || back.Slack.BotToken != "***" {
		t.Errorf("round trip lost values:\n%s", out)
	}
	if len(back.People) != len(c.People) || back.Timers.WeeklySummary.At.Offset() != 10*time.Hour {
		t.Errorf("round trip lost the organisation or a clock:\n%s", out)
	}
}
