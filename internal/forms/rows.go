package forms

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

// Rows are the multi-line answers whose lines have parts: action items,
// deliverables and task statuses. Each line is read on its own and a
// refusal names the line. The canonical form joins the parts with "|",
// which the same parsers read back.

const maxRows = 100

// rows splits an answer into its non-empty lines without list markers.
func (f *Field) rows(s string) ([]string, error) {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = unbullet(l); l != "" {
			out = append(out, l)
		}
	}
	if len(out) > maxRows {
		return nil, f.fail(bot.CodeInvalid, "refuse.answer.too_many_rows", bot.Args{"max": strconv.Itoa(maxRows)})
	}
	return out, nil
}

// token is a word of a line and where it is.
type token struct{ from, to int }

var rowSep = regexp.MustCompile(`[^\s,，;；]+`)

func tokens(s string) []token {
	var out []token
	for _, m := range rowSep.FindAllStringIndex(s, -1) {
		out = append(out, token{m[0], m[1]})
	}
	return out
}

const rowTrim = " \t,，;；:：-—、"

var (
	linkRe   = regexp.MustCompile(`<(https?://[^|>\s]+)(?:\|[^>]*)?>|(?i:https?://)[^\s|<>,，;；]+`)
	quantity = regexp.MustCompile(`^(?:[x×*]\s*)?([+-]?\d+)\s*(?:个|份|件|套|本|台|张|项|pcs?|copies|copy|x)?$`)
)

var taskRef = regexp.MustCompile(`^[#＃]?\s*[tTｔＴ]\s*[-－—–]?\s*([0-9０-９]+)`)

func (f *Field) parseStatuses(c Context, s string) (string, error) {
	lines, err := f.rows(s)
	if err != nil {
		return "", err
	}
	out := make([]string, 0, len(lines))
	var seen []bot.TaskID
	for i, line := range lines {
		ch, err := f.status(c, i+1, line)
		if err != nil {
			return "", err
		}
		if slices.Contains(seen, ch.Task) {
			return "", f.failLine(bot.CodeInvalid, i+1, line, "refuse.answer.line_task_twice", bot.Args{"task": ch.Task.String()})
		}
		seen = append(seen, ch.Task)
		out = append(out, ch.Task.String()+"|"+string(ch.Status)+"|"+ch.Note)
	}
	return f.joined(out)
}

// status reads "T-3: needs_help 缺测试账号", "T-3 需协助 缺测试账号",
// "T3 done": the task, the longest leading words that are a status, and
// the rest as the note.
func (f *Field) status(c Context, n int, line string) (bot.StatusChange, error) {
	var ch bot.StatusChange
	m := taskRef.FindStringIndex(line)
	if m == nil {
		return ch, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_no_task", nil)
	}
	id, err := bot.ParseTaskID(narrow(line[m[0]:m[1]]))
	if err != nil {
		return ch, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_task", nil)
	}
	ch.Task = id
	rest := strings.TrimLeft(line[m[1]:], rowTrim+"|")
	if a, b, ok := strings.Cut(rest, "|"); ok { // canonical: T-3|needs_help|note
		if st, err := bot.ParseTaskStatus(a); err == nil {
			ch.Status, rest = st, b
		}
	}
	if ch.Status == "" {
		ch.Status, rest = leadingStatus(rest)
	}
	if ch.Status == "" {
		w := strings.ToLower(strings.Trim(firstWord(rest), rowTrim))
		if w == "overdue" || strings.HasPrefix(w, "延期") {
			return ch, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_overdue_by_hand", nil)
		}
		return ch, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_no_status", nil)
	}
	ch.Note = strings.Trim(c.plain(strings.Trim(rest, rowTrim)), rowTrim)
	if utf8.RuneCountInString(ch.Note) > f.runeLimit() {
		return ch, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_note_too_long", bot.Args{"max": strconv.Itoa(f.runeLimit())})
	}
	return ch, nil
}

// leadingStatus takes the longest run of up to three leading words that
// is a status ("needs help"), else the longest status the first word
// starts with ("需协助缺测试账号").
func leadingStatus(s string) (bot.TaskStatus, string) {
	toks := tokens(s)
	for k := min(3, len(toks)); k >= 1; k-- {
		if st, err := bot.ParseTaskStatus(s[toks[0].from:toks[k-1].to]); err == nil {
			return st, s[toks[k-1].to:]
		}
	}
	if len(toks) == 0 {
		return "", s
	}
	word := []rune(s[toks[0].from:toks[0].to])
	for i := min(len(word), 6); i >= 2; i-- {
		if st, err := bot.ParseTaskStatus(string(word[:i])); err == nil {
			return st, s[toks[0].from+len(string(word[:i])):]
		}
	}
	return "", s
}

func firstWord(s string) string {
	if t := tokens(s); len(t) > 0 {
		return s[t[0].from:t[0].to]
	}
	return ""
}
