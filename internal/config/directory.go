package config

import (
	"fmt"
	"strings"
)

// DirectoryConfig is reading the organisation from the platforms' own
// directories (`collabot directory sync`): DingTalk's departments and
// users, Slack's users and the user groups named here. What is read is
// merged under the organisation in this file, which wins.
type DirectoryConfig struct {
	// Sync is when serve syncs by itself: "off" (the default; only the
	// command does) or "daily" (at start, then every 24 hours).
	Sync string `yaml:"sync"`
	// SlackGroups are the Slack user groups that are departments: a
	// group's handle (without @) or id (S…) to the department's name.
	SlackGroups map[string]string `yaml:"slack_groups"`
}

// Directory sync schedules.
const (
	DirectorySyncOff   = "off"
	DirectorySyncDaily = "daily"
)

// Daily reports whether serve syncs at start and then every day.
func (d DirectoryConfig) Daily() bool { return d.Sync == DirectorySyncDaily }

func (d *DirectoryConfig) validate(p *problems) {
	d.Sync = strings.ToLower(strings.TrimSpace(d.Sync))
	switch d.Sync {
	case "":
		d.Sync = DirectorySyncOff
	case DirectorySyncOff, DirectorySyncDaily:
	default:
		p.add("directory.sync", fmt.Sprintf("%q is not one of off, daily", d.Sync))
	}
	for group, dept := range d.SlackGroups {
		if strings.TrimSpace(group) == "" || strings.HasPrefix(group, "@") {
			p.add("directory.slack_groups", fmt.Sprintf("%q is not a user group's handle (without @) or id (S…)", group))
		}
		if strings.TrimSpace(dept) == "" {
			p.add("directory.slack_groups."+group, "names no department")
		}
	}
}
