// Package configs carries the default data the binary ships with: holiday
// calendars, the demo organisation and the example configuration.
package configs

import "embed"

// FS holds the shipped configuration data, so the binary runs with no files
// beside it. When the form templates land in templates/, add the folder to
// the directive below (go:embed refuses a pattern that matches nothing).
//
//go:embed calendars templates demo.yaml collabot.example.yaml
var FS embed.FS
