package forms

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

var (
	// pasteMarkup is what a form copied out of a document or a chat card
	// carries around its keys: list markers, heading marks, bold, brackets.
	pasteMarkup = regexp.MustCompile(`^\s*(?:[-*+•·]\s+|#{1,6}\s+|\d{1,2}[.、)]\s*)?`)
	// keyNote is a remark after a key: "协作主题(必填)", "due (optional)".
	keyNote = regexp.MustCompile(`\s*[(（][^)）]{0,12}[)）]\s*$`)
)

// ParsePaste reads a filled-in form pasted as "key: value" lines, where
// the key is a field's key, alias, or Chinese or English label, and the
// colon may be full-width. A line that is not a known key continues the
// previous field (a list, a long text). It returns the non-empty raw
// answers by field key, the keys it did not recognise (for a warning),
// and ok=false when no line had a known key: then the text is a plain
// answer, not a paste.
//
// A repeated key adds lines to a multi-line field and replaces the answer
// of a one-line one. A "word: text" line after a one-line field is taken
// for an unknown key and dropped with its continuation lines, but inside
// a multi-line field it is content ("bob: 完成接口调试, 12/1" in action
// items), and so is an alias of that field ("议题: 排期" under 议程).
func (t *Template) ParsePaste(text string) (raw map[string]string, unknown []string, ok bool) {
	lines := map[string][]string{} // lines per key, joined at the end: a long paste stays linear
	var cur *Field                 // nil before the first key and after an unknown one: lines are dropped
	for _, line := range strings.Split(clean(text), "\n") {
		if k, v, isKey := pasteKey(line); isKey {
			if f, found := t.pasteField(k); found && !(f == cur && f.Type.multiline() && !f.named(k)) {
				ok, cur = true, f
				if !f.Type.multiline() {
					lines[f.Key] = nil
				}
				lines[f.Key] = append(lines[f.Key], v)
				continue
			}
			if cur == nil || !cur.Type.multiline() {
				if !slices.Contains(unknown, k) {
					unknown = append(unknown, k)
				}
				cur = nil
				continue
			}
		}
		if cur != nil {
			lines[cur.Key] = append(lines[cur.Key], line)
		}
	}
	if !ok {
		return nil, nil, false
	}
	raw = map[string]string{}
	for k, ls := range lines {
		if v := strings.TrimSpace(strings.Join(ls, "\n")); v != "" {
			raw[k] = v
		}
	}
	for _, f := range t.Fields {
		if f.PeriodFrom == "" || raw[f.Key] == "" || raw[f.PeriodFrom] != "" {
			continue
		}
		if from, to, ok := splitPeriod(raw[f.Key]); ok {
			raw[f.PeriodFrom], raw[f.Key] = from, to
		}
	}
	return raw, unknown, true
}

// PeriodSeparators are how people write "from … to …" (a pasted loan
// period, a leave); a bare "-" counts only where it is not inside a date
// ("12月7日-12月9日", not "2026-12-07"), which each reader tries last.
var PeriodSeparators = []string{"..", "…", "至", "到", "~", "～", "—", "–", " to ", " until ", " till ", " through ", " - "}

// splitPeriod cuts a period typed on one line into its two ends.
func splitPeriod(v string) (from, to string, ok bool) {
	for _, sep := range PeriodSeparators {
		if a, b, found := strings.Cut(v, sep); found {
			a, b = strings.TrimSpace(a), strings.TrimSpace(b)
			return a, b, a != "" && b != ""
		}
	}
	for i := 1; i < len(v)-1; i++ {
		if v[i] == '-' && !(isDigit(v[i-1]) && isDigit(v[i+1])) {
			a, b := strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1:])
			return a, b, a != "" && b != ""
		}
	}
	return "", "", false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// pasteKey splits "key: value". The key is short, is not a clock
// ("10:00") or a link ("https://"), and loses its markup.
func pasteKey(line string) (key, value string, ok bool) {
	i := strings.IndexAny(line, ":：")
	if i < 0 {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(line[i:])
	value = strings.TrimSpace(line[i+size:])
	if strings.HasPrefix(line[i+size:], "//") {
		return "", "", false
	}
	key = pasteMarkup.ReplaceAllString(line[:i], "")
	key = strings.TrimSpace(strings.Trim(strings.TrimSpace(key), "*_`【】[]「」<>"))
	if key == "" || utf8.RuneCountInString(key) > 30 || strings.Trim(key, "0123456789 ") == "" {
		return "", "", false
	}
	return key, value, true
}

// named reports whether key is the field's key or label rather than one of
// its aliases. Inside a multi-line answer an alias is content: the agenda
// line "议题: 排期" under 议程 is an agenda item, not a new field.
func (f *Field) named(key string) bool {
	for _, k := range []string{key, strings.TrimRight(keyNote.ReplaceAllString(key, ""), "*＊ ")} {
		if k := fold(k); k == fold(f.Key) || k == fold(f.Label.ZH) || k == fold(f.Label.EN) {
			return true
		}
	}
	return false
}

// LabelledLine reports whether text is one "key: value" line whose key is
// the key or label (either language) of one of t's fields, not an alias:
// a single pasted line "decisions: use plan A" is that field's answer,
// while prose that merely holds a colon ("note: ask bob") stays an answer.
func (t *Template) LabelledLine(text string) bool {
	text = strings.TrimSpace(clean(text))
	if text == "" || strings.Contains(text, "\n") {
		return false
	}
	k, _, ok := pasteKey(text)
	if !ok {
		return false
	}
	return slices.ContainsFunc(t.Fields, func(f *Field) bool { return f.named(k) })
}

func (t *Template) pasteField(key string) (*Field, bool) {
	if f, ok := t.Field(key); ok {
		return f, true
	}
	if k := strings.TrimRight(keyNote.ReplaceAllString(key, ""), "*＊ "); k != key {
		return t.Field(k)
	}
	return nil, false
}

// PasteKeys lists the keys of the "key: value" lines of text, as written,
// whichever form they belong to: enough to tell a paste of another form.
func PasteKeys(text string) []string {
	var out []string
	for _, line := range strings.Split(clean(text), "\n") {
		if k, _, ok := pasteKey(line); ok && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
