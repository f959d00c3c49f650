package bot

import (
	"strings"
	"unicode/utf8"
)

// SplitText cuts a reply's text into pieces of at most n bytes for
// platforms that cap a message or a block: at line breaks where it can,
// between runes where a single line is longer than n. Pieces are trimmed
// and none is empty.
func SplitText(s string, n int) []string {
	var out []string
	s = strings.TrimSpace(s)
	for len(s) > n {
		cut := strings.LastIndexByte(s[:n], '\n')
		if cut <= 0 {
			cut = n
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// Truncate cuts s to at most n characters (runes), marking a cut with
// "…", for quoting what someone typed in a reply or a log.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
