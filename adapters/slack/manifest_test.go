package slack

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestManifest keeps configs/slack-manifest.yaml in step with what the
// adapter handles: the command it reads, the events it translates, the
// endpoints it serves and the Web API calls it makes.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("../../configs/slack-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			AppHome struct {
				HomeTab bool `yaml:"home_tab_enabled"`
			} `yaml:"app_home"`
			SlashCommands []struct {
				Command      string `yaml:"command"`
				URL          string `yaml:"url"`
				ShouldEscape bool   `yaml:"should_escape"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				URL    string   `yaml:"request_url"`
				Events []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool   `yaml:"is_enabled"`
				URL     string `yaml:"request_url"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	a := &Adapter{}
	for path := range a.Routes() {
		served[path] = true
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/collab" || !m.Features.SlashCommands[0].ShouldEscape {
		t.Errorf("slash commands: %+v", m.Features.SlashCommands)
	}
	for _, u := range []string{m.Features.SlashCommands[0].URL, m.Settings.Events.URL, m.Settings.Interactivity.URL} {
		if !served[path(u)] {
			t.Errorf("%s is not one of the adapter's routes", u)
		}
	}
	if !m.Features.AppHome.HomeTab {
		t.Error("the Home tab is not enabled")
	}
	for _, e := range []string{"app_home_opened", "app_mention", "message.channels", "message.groups", "message.im"} {
		if !slices.Contains(m.Settings.Events.Events, e) {
			t.Errorf("event %s is not subscribed", e)
		}
	}
	for _, s := range []string{"app_mentions:read", "chat:write", "commands", "im:write", "im:history", "users:read"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, s) {
			t.Errorf("scope %s is missing", s)
		}
	}
	if !m.Settings.Interactivity.Enabled || !m.Settings.SocketMode {
		t.Errorf("interactivity %v, socket mode %v", m.Settings.Interactivity.Enabled, m.Settings.SocketMode)
	}
}

func path(u string) string {
	const host = "https://collabot.example.com"
	if len(u) > len(host) {
		return u[len(host):]
	}
	return u
}
