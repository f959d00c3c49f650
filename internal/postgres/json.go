package postgres

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// jsonbSafe makes a JSON document storable as jsonb, which refuses the
// escape \u0000 (text in PostgreSQL cannot hold NUL) where SQLite keeps
// it: a NUL typed or pasted into a chat becomes U+FFFD instead of making
// the whole save fail. Only a real escape is rewritten: one preceded by
// an even number of backslashes (a "\\u0000" is a backslash and text).
func jsonbSafe(b []byte) []byte {
	const esc = `\u0000`
	if !bytes.Contains(b, []byte(esc)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], []byte(esc))
		if j < 0 {
			out = append(out, b[i:]...)
			break
		}
		j += i
		slashes := 0
		for k := j - 1; k >= 0 && b[k] == '\\'; k-- {
			slashes++
		}
		out = append(out, b[i:j]...)
		if slashes%2 == 0 {
			out = append(out, `\ufffd`...)
		} else {
			out = append(out, esc...)
		}
		i = j + len(esc)
	}
	return out
}

// text is s as a text parameter may hold it: the server refuses NUL and
// bytes that are not UTF-8 (SQLite keeps both), so each becomes U+FFFD,
// as encoding/json and jsonbSafe make them in a document; a column and
// the document it is copied from still agree. Anything a person types
// (a topic, a search) goes through it, so odd bytes are refused nowhere.
func text(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\ufffd")
}

// texts is text of each.
func texts[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = text(string(s))
	}
	return out
}
