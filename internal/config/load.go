package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/configs"
)

// Load reads the configuration: defaults, then the YAML file at path, then
// COLLABOT_* variables from getenv (os.Getenv when nil), then validation.
// An empty path means DefaultConfigPath if it exists and pure defaults if
// not; a path given explicitly must exist.
func Load(path string, getenv func(string) string) (*Config, error) {
	c := Default()
	if path == "" {
		switch _, err := os.Stat(DefaultConfigPath); {
		case err == nil:
			path = DefaultConfigPath
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("config: %w", err)
		}
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := c.decode(path, data); err != nil {
			return nil, err
		}
		c.resolveFiles(filepath.Dir(path))
	}
	return c.finish(getenv)
}

// LoadDemo is Load on the demo organisation shipped in the binary, so
// the terminal chat can run with no files at all.
func LoadDemo(getenv func(string) string) (*Config, error) {
	data, err := configs.FS.ReadFile("demo.yaml")
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c := Default()
	c.demo = true
	if err := c.decode("demo.yaml (embedded)", data); err != nil {
		return nil, err
	}
	return c.finish(getenv)
}

func (c *Config) finish(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c.applyEnv(getenv)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// decode reads one YAML document over the defaults already in c, refusing
// keys the struct does not know: a misspelt key would otherwise be a
// setting silently ignored.
func (c *Config) decode(name string, data []byte) error {
	c.file, c.lines = name, lineIndex(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	switch err := dec.Decode(c); {
	case errors.Is(err, io.EOF):
		return nil // an empty file keeps every default
	case err != nil:
		return &Error{File: name, Problems: yamlProblems(err)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return &Error{File: name, Problems: []Problem{{Line: next.Line,
			Msg: "more than one YAML document (---): put the whole configuration in one"}}}
	}
	return nil
}

// resolveFiles makes calendar files relative to the config file's folder,
// so a config works whatever directory the binary is started from.
func (c *Config) resolveFiles(dir string) {
	if c.Templates != "" && !filepath.IsAbs(c.Templates) {
		c.Templates = filepath.Join(dir, c.Templates)
	}
	for i, f := range c.Business.Files {
		if f != "" && !filepath.IsAbs(f) {
			c.Business.Files[i] = filepath.Join(dir, f)
		}
	}
}

// envVars are the COLLABOT_* overrides and the keys they replace
// (design.md, "Configuration").
var envVars = []struct {
	name, key string
	field     func(*Config) *string
}{
	{"COLLABOT_TIMEZONE", "timezone", func(c *Config) *string { return &c.Timezone }},
	{"COLLABOT_LANG", "language", func(c *Config) *string { return &c.Language }},
	{"COLLABOT_DB", "db", func(c *Config) *string { return &c.DB }},
	{"COLLABOT_DATABASE_URL", "database_url", func(c *Config) *string { return &c.DatabaseURL }},
	{"COLLABOT_HTTP_ADDR", "http_addr", func(c *Config) *string { return &c.HTTPAddr }},
	{"COLLABOT_ADMIN_ADDR", "admin_addr", func(c *Config) *string { return &c.AdminAddr }},
	{"COLLABOT_REDIS_URL", "redis_url", func(c *Config) *string { return &c.RedisURL }},
	{"COLLABOT_SLACK_BOT_TOKEN", "slack.bot_token", func(c *Config) *string { return &c.Slack.BotToken }},
	{"COLLABOT_SLACK_APP_TOKEN", "slack.app_token", func(c *Config) *string { return &c.Slack.AppToken }},
	{"COLLABOT_SLACK_SIGNING_SECRET", "slack.signing_secret", func(c *Config) *string { return &c.Slack.SigningSecret }},
	{"COLLABOT_SLACK_API_URL", "slack.api_url", func(c *Config) *string { return &c.Slack.APIURL }},
	{"COLLABOT_SLACK_TEAM_ID", "slack.team_id", func(c *Config) *string { return &c.Slack.TeamID }},
	{"COLLABOT_DINGTALK_CLIENT_ID", "dingtalk.client_id", func(c *Config) *string { return &c.DingTalk.ClientID }},
	{"COLLABOT_DINGTALK_CLIENT_SECRET", "dingtalk.client_secret", func(c *Config) *string { return &c.DingTalk.ClientSecret }},
	{"COLLABOT_DINGTALK_ROBOT_CODE", "dingtalk.robot_code", func(c *Config) *string { return &c.DingTalk.RobotCode }},
	{"COLLABOT_DINGTALK_API_URL", "dingtalk.api_url", func(c *Config) *string { return &c.DingTalk.APIURL }},
	{"COLLABOT_DINGTALK_CORP_ID", "dingtalk.corp_id", func(c *Config) *string { return &c.DingTalk.CorpID }},
	{"COLLABOT_DINGTALK_APP_PER_SECOND", "dingtalk.app_per_second", func(c *Config) *string { return &c.DingTalk.AppPerSecondText }},
	{"COLLABOT_DINGTALK_GROUP_PER_MINUTE", "dingtalk.group_per_minute", func(c *Config) *string { return &c.DingTalk.GroupPerMinuteText }},
	{"COLLABOT_RETENTION_EVENTS", "retention.events", func(c *Config) *string { return &c.Retention.Events }},
	{"COLLABOT_RETENTION_SENT", "retention.sent", func(c *Config) *string { return &c.Retention.Sent }},
	{"COLLABOT_WEB_SECRET", "web.secret", func(c *Config) *string { return &c.Web.Secret }},
	{"COLLABOT_WEB_URL", "web.url", func(c *Config) *string { return &c.Web.URL }},
	{"COLLABOT_WEB_ADDR", "web.addr", func(c *Config) *string { return &c.Web.Addr }},
	{"COLLABOT_LOG_LEVEL", "log.level", func(c *Config) *string { return &c.Log.Level }},
	{"COLLABOT_LOG_FORMAT", "log.format", func(c *Config) *string { return &c.Log.Format }},
	{"COLLABOT_TEMPLATES", "templates", func(c *Config) *string { return &c.Templates }},
	{"COLLABOT_DIRECTORY_SYNC", "directory.sync", func(c *Config) *string { return &c.PlatformDirectory.Sync }},
}

// EnvVars lists the environment variables Load reads, for --help output.
func EnvVars() []string {
	names := make([]string, len(envVars))
	for i, e := range envVars {
		names[i] = e.name
	}
	return names
}

// applyEnv lets the environment win over the file. An empty variable counts
// as unset, since that is what an unset one looks like through getenv.
func (c *Config) applyEnv(getenv func(string) string) {
	for _, e := range envVars {
		if v := strings.TrimSpace(getenv(e.name)); v != "" {
			*e.field(c) = v
			if c.fromEnv == nil {
				c.fromEnv = map[string]string{}
			}
			c.fromEnv[e.key] = e.name
		}
	}
}
