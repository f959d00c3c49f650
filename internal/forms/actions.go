package forms

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

// Action items of the minutes, one per line: an owner, what to do and a
// due date, in whatever order people write them.

func (f *Field) parseActions(c Context, s string) (string, error) {
	lines, err := f.rows(s)
	if err != nil {
		return "", err
	}
	r := &resolver{c: c, f: f, queue: slices.Clone(c.Mentions)}
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		owner, what, due, err := f.action(r, i+1, line)
		if err != nil {
			return "", err
		}
		out = append(out, string(owner)+"|"+what+"|"+due.Format(TimeLayout))
	}
	return f.joined(out)
}

// action reads one action item: the owner is the first @-mention, else a
// leading "name:" or word, else a trailing word; the due date is the
// longest run of trailing words (or the end of the last word) that reads
// as a date; what is left is what to do.
func (f *Field) action(r *resolver, n int, line string) (bot.PersonID, string, time.Time, error) {
	c := r.c
	if a, b := strings.Index(line, "|"), strings.LastIndex(line, "|"); a >= 0 && b > a {
		if p, err := r.one(line[:a], true); err == nil {
			if due, bad := c.when(line[b+1:], false); bad == nil {
				what, err := f.what(c, n, line, line[a+1:b])
				return p.ID, what, due, err
			}
		}
	}
	ms, err := r.mentions(line)
	if err != nil {
		return "", "", time.Time{}, err
	}
	var owner bot.PersonID
	if len(ms) > 0 {
		owner = ms[0].id
		var b strings.Builder
		last := 0
		for i, m := range ms {
			b.WriteString(line[last:m.from])
			if i == 0 {
				b.WriteString(strings.Repeat(" ", m.to-m.from))
			} else if p, ok := c.Directory.Person(m.id); ok {
				b.WriteString("@" + p.Name)
			}
			last = m.to
		}
		line = b.String() + line[last:]
	}
	if owner == "" {
		if k, rest, ok := cutColon(line); ok {
			if p, err := r.one(k, true); err == nil {
				owner, line = p.ID, rest
			}
		}
	}
	toks := tokens(line)
	if owner == "" && len(toks) > 1 {
		if p, err := r.one(line[toks[0].from:toks[0].to], true); err == nil {
			owner, toks = p.ID, toks[1:]
		}
	}
	due, toks, bad := trailingDate(c, line, toks)
	if due.IsZero() && owner == "" && len(toks) > 1 {
		last := toks[len(toks)-1]
		if p, err := r.one(line[last.from:last.to], true); err == nil {
			owner = p.ID
			due, toks, bad = trailingDate(c, line, toks[:len(toks)-1])
		}
	}
	if owner == "" && !due.IsZero() && len(toks) > 1 {
		last := toks[len(toks)-1]
		if p, err := r.one(line[last.from:last.to], true); err == nil {
			owner, toks = p.ID, toks[:len(toks)-1]
		}
	}
	switch {
	case owner == "":
		return "", "", time.Time{}, f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_owner", nil)
	case due.IsZero() && bad != nil:
		return "", "", time.Time{}, f.failLine(bot.CodeInvalid, n, line, bad.key, bad.args)
	case due.IsZero():
		return "", "", time.Time{}, f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_due", nil)
	case len(toks) == 0:
		return "", "", time.Time{}, f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_action", nil)
	}
	what, err := f.what(c, n, line, line[toks[0].from:toks[len(toks)-1].to])
	return owner, what, due, err
}

func (f *Field) what(c Context, n int, line, what string) (string, error) {
	what = strings.Trim(c.plain(strings.Trim(what, rowTrim)), rowTrim)
	if what == "" {
		return "", f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_action", nil)
	}
	if utf8.RuneCountInString(what) > f.runeLimit() {
		return "", f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_too_long", bot.Args{"max": strconv.Itoa(f.runeLimit())})
	}
	return what, nil
}

// cutColon splits "bob: text" where the part before the colon is short
// and not a clock ("10:00").
func cutColon(s string) (string, string, bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 || i > 60 {
		return "", "", false
	}
	k := strings.TrimSpace(s[:i])
	if k == "" || strings.Trim(k, "0123456789") == "" {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return k, s[i+size:], true
}

// trailingDate finds the due date at the end of a line: the longest run of
// up to four trailing words that reads as a date, else the longest tail of
// the last word ("完成联调下周五"). bad is why a date-like last word was
// refused ("2月30日"), to say so instead of "no date".
func trailingDate(c Context, line string, toks []token) (time.Time, []token, *problem) {
	var bad *problem
	for k := min(4, len(toks)); k >= 1; k-- {
		t, p := c.when(line[toks[len(toks)-k].from:toks[len(toks)-1].to], false)
		if p == nil {
			return t, toks[:len(toks)-k], nil
		}
		if k == 1 && !p.soft {
			bad = p
		}
	}
	if len(toks) == 0 || bad != nil {
		return time.Time{}, toks, bad
	}
	last := toks[len(toks)-1]
	word := []rune(line[last.from:last.to])
	for i := max(1, len(word)-12); i < len(word)-1; i++ {
		if t, p := c.when(string(word[i:]), false); p == nil {
			cut := last.from + len(string(word[:i]))
			return t, append(toks[:len(toks)-1:len(toks)-1], token{last.from, cut}), nil
		}
	}
	return time.Time{}, toks, nil
}
