// Package config is collabot's one configuration struct: defaults, a YAML
// file, COLLABOT_* environment overrides and validation that reports every
// problem at once.
package config

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // a container without /usr/share/zoneinfo must still know Asia/Shanghai

	"github.com/collabot/collabot/bot"
)

// Config is everything an operator can set. Load returns it validated; the
// zero value is not usable, start from Default.
type Config struct {
	Workspace string `yaml:"workspace"`
	Timezone  string `yaml:"timezone"`
	Language  string `yaml:"language"`
	DB        string `yaml:"db"`
	// DatabaseURL, when set, is the PostgreSQL database the deployment
	// keeps its state in (postgres://…), shared by replicas on several
	// hosts; DB (a SQLite file) is then unused. It may hold a password:
	// Redacted hides it.
	DatabaseURL string `yaml:"database_url"`
	HTTPAddr    string `yaml:"http_addr"`
	// AdminAddr, when set, is a listener of its own for /metrics and
	// /readyz, so they stay internal while the main one faces platforms.
	AdminAddr string         `yaml:"admin_addr"`
	RedisURL  string         `yaml:"redis_url"`
	Slack     SlackConfig    `yaml:"slack"`
	DingTalk  DingTalkConfig `yaml:"dingtalk"`
	Web       WebConfig      `yaml:"web"`
	Log       LogConfig      `yaml:"log"`
	Business  CalendarConfig `yaml:"calendar"` // not "Calendar": that name is the method building one
	Timers    Timers         `yaml:"timers"`
	Process   Process        `yaml:"process"`
	Dialog    DialogConfig   `yaml:"dialog"`
	Retention Retention      `yaml:"retention"`
	// Templates is a folder of form templates that replace or add to the
	// built-in ones (a file request.yaml replaces the request form).
	Templates string `yaml:"templates"`
	// Channels are settings of the chats the bot posts in, by "platform:id"
	// ("slack:C0123", "dingtalk:cid…"): the language of its posts.
	Channels map[string]ChannelConfig `yaml:"channels"`
	Org      `yaml:",inline"`         // the organisation sits at the top level of the file, as operators write it

	// PlatformDirectory reads the organisation from the platforms' own
	// directories (directory.go); not "Directory": that is the method
	// building the configured one.
	PlatformDirectory DirectoryConfig `yaml:"directory"`

	file    string            // where the config was read from, for messages
	demo    bool              // the demo organisation built into the binary
	fromEnv map[string]string // key -> environment variable that set it
	lines   map[string]int    // path -> line in file, so validation can point at it
	loc     *time.Location
	lang    bot.Lang
}

// SlackConfig connects to Slack: AppToken for Socket Mode, SigningSecret for
// the Events API over HTTP. Both may be set; the adapter picks.
type SlackConfig struct {
	BotToken      string `yaml:"bot_token"`
	AppToken      string `yaml:"app_token"`
	SigningSecret string `yaml:"signing_secret"`
	APIURL        string `yaml:"api_url"`
	// TeamID is the workspace's team (T…). Events of any other team are
	// refused; when empty, the bot token's team (auth.test) is the one.
	TeamID string `yaml:"team_id"`
}

// DingTalkConfig connects to DingTalk in Stream mode.
type DingTalkConfig struct {
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	RobotCode    string `yaml:"robot_code"`
	APIURL       string `yaml:"api_url"`
	// CorpID is the organisation (corpId) the robot serves. Frames of any
	// other are refused; when empty, the first frame's chatbotCorpId is
	// taken for the life of the process (the stream is the app's own).
	CorpID string `yaml:"corp_id"`
	// AppPerSecondText and GroupPerMinuteText are DingTalk's sending
	// limits as documented for the app (sendlimits.go): robot send calls
	// a second for the whole app, messages a minute to one group.
	AppPerSecondText   string `yaml:"app_per_second"`
	GroupPerMinuteText string `yaml:"group_per_minute"`
	// Cards are interactive card template ids by kind (cards.go).
	Cards DingTalkCards `yaml:"cards"`

	appPerSecond, groupPerMinute float64
}

// Retention says how long bookkeeping rows are kept before the periodic
// prune deletes them: received event ids (which only catch redeliveries,
// minutes to hours late) and sent notices. Written as a Go duration
// ("168h") or whole days ("7d").
type Retention struct {
	Events string `yaml:"events"`
	Sent   string `yaml:"sent"`

	events, sent time.Duration
}

// Default retentions.
const (
	DefaultRetentionEvents = 7 * 24 * time.Hour
	DefaultRetentionSent   = 30 * 24 * time.Hour
)

// EventsAge is how long a received event id is kept.
func (r Retention) EventsAge() time.Duration { return cmpOr(r.events, DefaultRetentionEvents) }

// SentAge is how long a sent notice is kept.
func (r Retention) SentAge() time.Duration { return cmpOr(r.sent, DefaultRetentionSent) }

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// parseAge reads "7d" or a Go duration like "168h".
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("%q is not a number of days like 7d", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration like 7d or 168h", s)
	}
	return d, nil
}

// LogConfig sets up slog in main.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text, json
}

// CalendarConfig says what a business day and a business hour are.
type CalendarConfig struct {
	Workdays  []Weekday `yaml:"workdays"`
	WorkHours WorkHours `yaml:"work_hours"`
	// Files are extra calendar files, relative to the config file's folder,
	// for a company's own days off or a year not shipped yet.
	Files []string `yaml:"files"`
	// Embedded uses the calendars shipped in the binary; off for a company
	// outside China that lists its own files.
	Embedded bool `yaml:"embedded"`
}

// ChannelConfig is one group chat's settings.
type ChannelConfig struct {
	// Language of the bot's posts there; the workspace's when empty.
	Language string `yaml:"language"`
}

// ChannelLangs are the languages set for group chats, by "platform:id".
func (c *Config) ChannelLangs() map[string]bot.Lang {
	out := map[string]bot.Lang{}
	for id, ch := range c.Channels {
		if l, ok := bot.ParseLang(ch.Language); ok {
			out[id] = l
		}
	}
	return out
}

// DialogConfig tunes the line-by-line form dialogs.
type DialogConfig struct {
	// IdleTimeout abandons a half-filled form so a stale dialog does not
	// swallow a later, unrelated message. Wall-clock time, not business time.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
}

// Defaults that appear in more than one place (env docs, example file).
const (
	DefaultWorkspace   = "default"
	DefaultTimezone    = "Asia/Shanghai"
	DefaultDB          = "data/collabot.db"
	DefaultHTTPAddr    = ":8080"
	DefaultSlackAPI    = "https://slack.com/api/"
	DefaultDingTalkAPI = "https://api.dingtalk.com"
	DefaultConfigPath  = "configs/collabot.yaml"
)

// Default is the configuration with nothing set: one SQLite file, no chat
// platform, Chinese, Shanghai time, Monday to Friday 09:00-18:00.
func Default() *Config {
	return &Config{
		Workspace: DefaultWorkspace,
		Timezone:  DefaultTimezone,
		Language:  string(bot.Chinese),
		DB:        DefaultDB,
		HTTPAddr:  DefaultHTTPAddr,
		Slack:     SlackConfig{APIURL: DefaultSlackAPI},
		DingTalk:  DingTalkConfig{APIURL: DefaultDingTalkAPI},
		Web:       WebConfig{LinkTTL: DefaultWebLinkTTL},
		Log:       LogConfig{Level: "info", Format: "text"},
		Business: CalendarConfig{
			Workdays:  weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday),
			WorkHours: WorkHours{raw: raw{text: "09:00-18:00"}, Start: 9 * time.Hour, End: 18 * time.Hour},
			Embedded:  true,
		},
		Timers:    DefaultTimers(),
		Dialog:    DialogConfig{IdleTimeout: 30 * time.Minute},
		Retention: Retention{Events: "7d", Sent: "30d"},
	}
}

// File is the path the configuration was read from ("" for pure defaults).
func (c *Config) File() string { return c.file }

// Demo reports whether this is the demo organisation built into the
// binary (invented people), not a company's own file.
func (c *Config) Demo() bool { return c.demo }

// Location is the time zone every deadline and cron entry uses. It falls
// back to loading Timezone for a Config that skipped Validate.
func (c *Config) Location() *time.Location {
	if c.loc != nil {
		return c.loc
	}
	if loc, err := time.LoadLocation(c.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// Lang is the workspace's default language.
func (c *Config) Lang() bot.Lang {
	if c.lang != "" {
		return c.lang
	}
	if l, ok := bot.ParseLang(c.Language); ok {
		return l
	}
	return bot.Chinese
}

// SlogLevel is Log.Level for slog.HandlerOptions.
func (l LogConfig) SlogLevel() slog.Level {
	switch strings.ToLower(l.Level) {
	case "debug":
		return slog.LevelDebug
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Database is the address of the deployment's store, as
// internal/database opens it: DatabaseURL when set (PostgreSQL),
// otherwise the SQLite file DB.
func (c Config) Database() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return c.DB
}
