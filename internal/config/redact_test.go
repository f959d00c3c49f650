package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretsRedacted(t *testing.T) {
	secrets := map[string]string{
		"COLLABOT_SLACK_BOT_TOKEN":        "xoxb-secret-bot",
		"COLLABOT_SLACK_APP_TOKEN":        "xapp-secret-app",
		"COLLABOT_SLACK_SIGNING_SECRET":   "secret-signing",
		"COLLABOT_DINGTALK_CLIENT_SECRET": "secret-ding",
		"COLLABOT_REDIS_URL":              "redis://user:secret-redis@redis:6379/0",
		"COLLABOT_DATABASE_URL":           "postgres://collabot:secret-pg@db:5432/collabot?sslmode=require",
		"COLLABOT_DINGTALK_CLIENT_ID":     "ding-client-id",
	}
	c, err := Load("", env(secrets))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("start", "config", c, "slack", c.Slack, "dingtalk", c.DingTalk)
	r := c.Redacted()
	outputs := map[string]string{
		"slog":            logs.String(),
		"fmt %+v":         fmt.Sprintf("%+v", c),
		"fmt %v redacted": fmt.Sprintf("%v", r),
		"fmt %+v slack":   fmt.Sprintf("%+v", r.Slack),
	}
	for name, out := range outputs {
		for _, v := range []string{"secret-bot", "secret-app", "secret-signing", "secret-ding", "secret-redis", "secret-pg"} {
			if strings.Contains(out, v) {
				t.Errorf("%s leaks %s: %s", name, v, out)
			}
		}
	}
	tests := []struct{ name, got, want string }{
		{"bot_token", r.Slack.BotToken, "***"},
		{"app_token", r.Slack.AppToken, "***"},
		{"signing_secret", r.Slack.SigningSecret, "***"},
		{"client_secret", r.DingTalk.ClientSecret, "***"},
		{"client_id stays readable", r.DingTalk.ClientID, "ding-client-id"},
		{"redis password", r.RedisURL, "redis://user:***@redis:6379/0"},
		{"database password", r.DatabaseURL, "postgres://collabot:***@db:5432/collabot?sslmode=require"},
		{"original untouched", c.Slack.BotToken, "xoxb-secret-bot"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !strings.Contains(logs.String(), `"bot_token":"***"`) || !strings.Contains(logs.String(), `"workspace":"default"`) {
		t.Errorf("log line lacks the redacted config: %s", logs.String())
	}
	// An unset secret stays empty, so the log shows it is missing.
	if got := Default().Redacted().Slack.BotToken; got != "" {
		t.Errorf("unset bot token redacted to %q, want empty", got)
	}
}

// TestRedactURL: a password never shows, wherever the address carries it.
func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"redis://redis:6379/0", "redis://redis:6379/0"},
		{"postgres://u:s3cret@db:5432/c?sslmode=require", "postgres://u:***@db:5432/c?sslmode=require"},
		{"postgres://u@db:5432/c?password=s3cret&sslmode=require", "postgres://u@db:5432/c?password=***&sslmode=require"},
		{"postgres://u@db/c?sslpassword=s3cret", "postgres://u@db/c?sslpassword=***"},
		{"postgres://u:a@db/c?password=b", "postgres://u:***@db/c?password=***"},
		{"postgres://%zz", "***"},
	} {
		got := RedactURL(tc.in)
		if got != tc.want || strings.Contains(got, "s3cret") {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
