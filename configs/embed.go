// Package configs carries the default data the binary ships with: holiday
// calendars, the demo organisation and the example configuration.
package configs

import "embed"

// FS holds the shipped configuration data — holiday calendars, form
// templates, the demo organisation and the example configuration — so the
// binary runs with no files beside it.
//
//go:embed calendars templates demo.yaml collabot.example.yaml
var FS embed.FS
