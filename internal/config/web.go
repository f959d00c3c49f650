package config

import "time"

// WebConfig is the read-only web board that serve offers (/web/) and
// that chat links to with `看板 网页` / `board web`.
type WebConfig struct {
	// Secret signs the board links (HMAC-SHA256), at least 32 bytes.
	// Empty switches the board off; its pages then say so.
	Secret string `yaml:"secret"`
	// URL is where people reach serve's listener from their phones, e.g.
	// https://collabot.example.com; links are URL/web/open#…. Empty means
	// http://localhost and the HTTP port, which only works on this machine.
	URL string `yaml:"url"`
	// LinkTTL is how long a link works.
	LinkTTL time.Duration `yaml:"link_ttl"`
	// Addr, when set, serves the board on a listener of its own, so it
	// can be exposed to staff while /metrics stays internal; empty serves
	// it on the HTTP listener.
	Addr string `yaml:"addr"`
}

// DefaultWebLinkTTL is how long a board link works: a week.
const DefaultWebLinkTTL = 7 * 24 * time.Hour

func (w WebConfig) redacted() WebConfig {
	w.Secret = redact(w.Secret)
	return w
}
