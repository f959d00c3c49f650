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

func (f *Field) parseDeliverables(c Context, s string) (string, error) {
	lines, err := f.rows(s)
	if err != nil {
		return "", err
	}
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		d, err := f.deliverable(c, i+1, line)
		if err != nil {
			return "", err
		}
		out = append(out, d.Name+"|"+d.Version+"|"+strconv.Itoa(d.Quantity)+"|"+d.Link)
	}
	return f.joined(out)
}

// deliverable reads "name, version, quantity, link" (or "|"- or
// tab-separated). The link may stand anywhere; a lone number after the
// name is the quantity, anything else the version.
func (f *Field) deliverable(c Context, n int, line string) (bot.Deliverable, error) {
	d := bot.Deliverable{Quantity: 1}
	links := linkRe.FindAllStringSubmatchIndex(line, -1)
	if len(links) > 1 {
		return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_two_links", nil)
	}
	if len(links) == 1 {
		m := links[0]
		raw := line[m[0]:m[1]]
		if g := group(line, m, 1); g != "" {
			raw = g
		}
		raw = strings.TrimRight(raw, ".。)）")
		u, ok := webURL(raw)
		if !ok {
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_link", nil)
		}
		d.Link = u
		line = line[:m[0]] + "\x00" + line[m[1]:]
	}
	// In a "|" or tab table an empty cell keeps its column; between commas
	// it is a slip, except before the name. A cell that held only the link
	// is no column either way.
	var pieces []string
	table := true
	switch {
	case strings.Contains(line, "|"):
		pieces = strings.Split(line, "|")
	case strings.Contains(line, "\t"):
		pieces = strings.Split(line, "\t")
	default:
		pieces, table = strings.Split(strings.ReplaceAll(line, "，", ","), ","), false
	}
	var kept []string
	for _, p := range pieces {
		link := strings.Contains(p, "\x00")
		p = strings.TrimSpace(strings.ReplaceAll(p, "\x00", ""))
		if p != "" || (!link && (table || len(kept) == 0)) {
			kept = append(kept, p)
		}
	}
	for len(kept) > 0 && kept[len(kept)-1] == "" {
		kept = kept[:len(kept)-1]
	}
	if len(kept) == 0 || kept[0] == "" {
		return d, f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_name", nil)
	}
	d.Name = kept[0]
	rest := kept[1:]
	qty := func(s string) bool { return quantity.MatchString(narrow(s)) }
	switch {
	case len(rest) > 2:
		return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_too_many_parts", nil)
	case len(rest) == 2 && qty(rest[0]) && !qty(rest[1]) && rest[1] != "":
		d.Version, rest = rest[1], rest[:1]
	case len(rest) == 2:
		d.Version, rest = rest[0], rest[1:]
	case len(rest) == 1 && !qty(rest[0]):
		d.Version, rest = rest[0], nil
	}
	if len(rest) == 1 && rest[0] != "" {
		m := quantity.FindStringSubmatch(narrow(rest[0]))
		q := -1
		if m != nil {
			q = atoi(strings.TrimPrefix(m[1], "+"))
		}
		if q < 1 || q > 1e6 {
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_quantity", nil)
		}
		d.Quantity = q
	}
	for _, p := range []*string{&d.Name, &d.Version} {
		*p = c.plain(*p)
		if utf8.RuneCountInString(*p) > f.runeLimit() {
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_too_long", bot.Args{"max": strconv.Itoa(f.runeLimit())})
		}
	}
	return d, nil
}

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
