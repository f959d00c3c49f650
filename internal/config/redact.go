package config

import (
	"log/slog"
	"net/url"
	"strings"
)

const redactedMark = "***"

func redact(secret string) string {
	if secret == "" {
		return "" // shows an operator the secret is missing, which is worth logging
	}
	return redactedMark
}

// RedactURL keeps a Redis or PostgreSQL URL readable for debugging but
// hides its password, whether in the userinfo or, as libpq and pgx also
// take it, in the query (password=, sslpassword=).
func RedactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return redactedMark // unparsable: the password could be anywhere in it
	}
	q := u.Query()
	hidden := false
	for _, k := range []string{"password", "sslpassword"} {
		if q.Has(k) {
			q.Set(k, "REDACTEDPASSWORD")
			hidden = true
		}
	}
	if hidden {
		u.RawQuery = q.Encode()
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "REDACTEDPASSWORD")
		hidden = true
	}
	if !hidden {
		return s
	}
	// url would percent-encode "***", so swap it in after.
	return strings.ReplaceAll(u.String(), "REDACTEDPASSWORD", redactedMark)
}

// Redacted is a copy safe to log or print: tokens and secrets read "***".
func (c Config) Redacted() Config {
	c.RedisURL = RedactURL(c.RedisURL)
	c.DatabaseURL = RedactURL(c.DatabaseURL)
	c.Slack = c.Slack.redacted()
	c.DingTalk = c.DingTalk.redacted()
	c.Web = c.Web.redacted()
	return c
}

func (s SlackConfig) redacted() SlackConfig {
	s.BotToken, s.AppToken, s.SigningSecret = redact(s.BotToken), redact(s.AppToken), redact(s.SigningSecret)
	return s
}

func (d DingTalkConfig) redacted() DingTalkConfig {
	d.ClientSecret = redact(d.ClientSecret)
	return d
}

// LogValue makes slog.Any("config", cfg) safe and short: what an operator
// checks at start-up, never a secret, not the whole organisation.
func (c Config) LogValue() slog.Value {
	r := c.Redacted()
	return slog.GroupValue(
		slog.String("file", r.file),
		slog.String("workspace", r.Workspace),
		slog.String("timezone", r.Timezone),
		slog.String("language", r.Language),
		slog.String("db", r.DB),
		slog.String("database_url", r.DatabaseURL),
		slog.String("http_addr", r.HTTPAddr),
		slog.String("admin_addr", r.AdminAddr),
		slog.String("redis_url", r.RedisURL),
		slog.Any("slack", r.Slack),
		slog.Any("dingtalk", r.DingTalk),
		slog.Int("departments", len(r.Departments)),
		slog.Int("people", len(r.People)),
	)
}

// LogValue keeps the tokens out of a log line that logs the section alone.
func (s SlackConfig) LogValue() slog.Value {
	r := s.redacted()
	return slog.GroupValue(slog.String("bot_token", r.BotToken), slog.String("app_token", r.AppToken),
		slog.String("signing_secret", r.SigningSecret), slog.String("api_url", r.APIURL))
}

// LogValue keeps the client secret out of a log line.
func (d DingTalkConfig) LogValue() slog.Value {
	r := d.redacted()
	return slog.GroupValue(slog.String("client_id", r.ClientID), slog.String("client_secret", r.ClientSecret),
		slog.String("robot_code", r.RobotCode), slog.String("api_url", r.APIURL))
}

// String keeps the secrets out of fmt's %v and %+v: a config printed in an
// error or a debug line shows the LogValue summary, never a token.
func (c Config) String() string { return slog.AnyValue(c.LogValue()).String() }

// String keeps the secrets out of fmt's %v and %+v, which print nested
// structs through their String methods.
func (s SlackConfig) String() string { return slog.AnyValue(s.LogValue()).String() }

// String keeps the client secret out of fmt's %v and %+v.
func (d DingTalkConfig) String() string { return slog.AnyValue(d.LogValue()).String() }
