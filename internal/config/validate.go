package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// Error lists every problem in a configuration, so an operator fixes them
// in one pass instead of one restart per typo.
type Error struct {
	File     string // "" when only defaults and the environment were read
	Problems []Problem
}

// Problem is one thing wrong with one value.
type Problem struct {
	Key  string // YAML path: "timers.acknowledgement.after", "departments[市场部].head"
	Line int    // in File; 0 when YAML gave none
	Env  string // the COLLABOT_* variable the value came from, if any
	Msg  string
}

func (p Problem) String(file string) string {
	var b strings.Builder
	switch {
	case p.Env != "":
		// The file is not where to look when the environment set the value.
	case file != "" && p.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", file, p.Line)
	case file != "":
		fmt.Fprintf(&b, "%s: ", file)
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		if p.Env != "" {
			fmt.Fprintf(&b, " (from %s)", p.Env)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "config: " + e.Problems[0].String(e.File)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "config: %d problems", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String(e.File))
	}
	return b.String()
}

type problems struct {
	list  []Problem
	env   map[string]string // key -> COLLABOT_* variable that set it
	lines map[string]int    // path -> line, from lineIndex
}

var indexInKey = regexp.MustCompile(`\[(\d+)\]`)

// add reports a problem at key, finding its line from the key itself
// ("calendar.files[1]" is written at path "calendar.files.1").
func (p *problems) add(key, msg string) {
	p.addPath(key, indexInKey.ReplaceAllString(key, ".$1"), msg)
}

// addPath is add for a key that names an entry ("departments[市场部].head")
// where the line is found by its position ("departments.0.head").
func (p *problems) addPath(key, path, msg string) { p.addAt(key, p.lines[path], msg) }

func (p *problems) addAt(key string, line int, msg string) {
	p.list = append(p.list, Problem{Key: key, Line: line, Env: p.env[key], Msg: msg})
}

func (p *problems) err(file string) error {
	if len(p.list) == 0 {
		return nil
	}
	return &Error{File: file, Problems: p.list}
}

// Validate checks every value, reports all problems as an *Error, and
// resolves the parsed forms (time zone, language, spans) the accessors return.
func (c *Config) Validate() error {
	p := &problems{env: c.fromEnv, lines: c.lines}
	if strings.TrimSpace(c.Workspace) == "" {
		p.add("workspace", "must not be empty")
	}
	if c.Timezone == "" {
		p.add("timezone", "must not be empty (it would silently mean UTC): use an IANA name like Asia/Shanghai")
	} else if loc, err := time.LoadLocation(c.Timezone); err != nil {
		p.add("timezone", fmt.Sprintf("%q is not an IANA time zone like Asia/Shanghai", c.Timezone))
	} else {
		c.loc = loc
	}
	if l, ok := bot.ParseLang(c.Language); ok {
		c.lang, c.Language = l, string(l)
	} else {
		p.add("language", fmt.Sprintf("%q is not a language: use zh-CN or en", c.Language))
	}
	if strings.TrimSpace(c.DB) == "" {
		p.add("db", "must not be empty")
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		p.add("http_addr", fmt.Sprintf("%q is not a listen address like :8080 or 127.0.0.1:8080", c.HTTPAddr))
	}
	if _, _, err := net.SplitHostPort(c.AdminAddr); c.AdminAddr != "" && err != nil {
		p.add("admin_addr", fmt.Sprintf("%q is not a listen address like 127.0.0.1:9090", c.AdminAddr))
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			p.add("database_url", "is not a URL like postgres://user@host:5432/collabot") // not quoted: it may hold a password
		}
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			p.add("redis_url", "is not a URL like redis://host:6379/0") // not quoted: it may hold a password
		}
	}
	if c.Templates != "" {
		if st, err := os.Stat(c.Templates); err != nil || !st.IsDir() {
			p.add("templates", fmt.Sprintf("%q is not a folder of form templates", c.Templates))
		}
	}
	checkHTTPURL(p, "slack.api_url", c.Slack.APIURL)
	checkHTTPURL(p, "dingtalk.api_url", c.DingTalk.APIURL)
	c.Log.Level, c.Log.Format = strings.ToLower(c.Log.Level), strings.ToLower(c.Log.Format)
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		p.add("log.level", fmt.Sprintf("%q is not one of debug, info, warn, error", c.Log.Level))
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		p.add("log.format", fmt.Sprintf("%q is not one of text, json", c.Log.Format))
	}
	c.Business.validate(p)
	if h := c.Timers.Agenda.OnHoliday; h != "" && h != "skip" && h != "move" {
		p.add("timers.agenda.on_holiday", fmt.Sprintf("%q is not one of skip, move", h))
	}
	for _, v := range c.Timers.values() {
		if err := v.value.parse(); err != nil {
			p.addAt(v.key, v.value.Line(), err.Error())
		}
	}
	c.DingTalk.validateLimits(p)
	var err error
	if c.Retention.events, err = parseAge(c.Retention.Events); err != nil {
		p.add("retention.events", err.Error())
	}
	if c.Retention.sent, err = parseAge(c.Retention.Sent); err != nil {
		p.add("retention.sent", err.Error())
	}
	if c.Dialog.IdleTimeout <= 0 {
		p.add("dialog.idle_timeout", fmt.Sprintf("%s must be positive, like 30m", c.Dialog.IdleTimeout))
	}
	for id, ch := range c.Channels {
		platform, chat, _ := strings.Cut(id, ":")
		if (platform != string(bot.Slack) && platform != string(bot.DingTalk) && platform != string(bot.Console)) || chat == "" {
			p.add("channels."+id, "is not a chat like slack:C0123 or dingtalk:cid…")
		}
		if _, ok := bot.ParseLang(ch.Language); !ok && ch.Language != "" {
			p.add("channels."+id+".language", fmt.Sprintf("%q is not a language: use zh-CN or en", ch.Language))
		}
	}
	c.PlatformDirectory.validate(p)
	c.Org.validate(p)
	c.validateProcess(p)
	return p.err(c.file)
}

func checkHTTPURL(p *problems, key, s string) {
	if s == "" {
		return // the adapter's own default
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add(key, fmt.Sprintf("%q is not an http(s) URL", s))
	}
}

func (cc *CalendarConfig) validate(p *problems) {
	if len(cc.Workdays) == 0 {
		p.add("calendar.workdays", "needs at least one working day, like [mon, tue, wed, thu, fri]")
	}
	for i := range cc.Workdays {
		if err := cc.Workdays[i].parse(); err != nil {
			p.addAt("calendar.workdays", cc.Workdays[i].line, err.Error())
		}
	}
	if err := cc.WorkHours.parse(); err != nil {
		p.addAt("calendar.work_hours", cc.WorkHours.line, err.Error())
	}
	for i, f := range cc.Files {
		if _, err := readCalendarFile(f); err != nil {
			p.add(fmt.Sprintf("calendar.files[%d]", i), strings.TrimPrefix(err.Error(), "config: "))
		}
	}
}
