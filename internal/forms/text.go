package forms

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

// Free text is stored as typed, minus control characters, and with the
// markup that would make the bot ping people when it repeats the text
// defused:
//   - Slack broadcasts <!channel> <!here> <!everyone> (and <!subteam^…>,
//     <!date^…|fallback>) become their visible words, "@​channel";
//   - Slack user mentions <@U0BOB> or <@U0BOB|ben> become "@" and the
//     person's directory name (else the label, else the raw id): plain "@name"
//     text notifies nobody on Slack or DingTalk, which mention by id only;
//   - broadcast words typed as text, "@channel", "@here", "@everyone",
//     "@all" and DingTalk's "@所有人", get a zero-width space after the "@",
//     so they read the same but no client or markdown renderer links them.
// The result is a fixed point: defusing it again changes nothing.

var (
	slackSpecial = regexp.MustCompile(`<!([^>|]*)(?:\|([^>]*))?>`)
	slackUser    = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|([^>]*))?>`)
	broadcastEN  = regexp.MustCompile(`(?i)(^|[^\w.%+\-])([@＠])(channel|here|everyone|all)\b`)
	broadcastZH  = regexp.MustCompile(`([@＠])(所有人)`)
)

const zwsp = "\u200B"

// defuse neutralises broadcasts and Slack mentions without a directory.
func defuse(s string) string { return Context{}.defuse(s) }

// defuse shows Slack mentions by directory name and defuses broadcasts.
// Replacing markup can assemble new markup ("<<!U0BOB>>" becomes
// "<@U0BOB>"), so it repeats until nothing changes; each round removes a
// "<", so that is soon, and a pathological nest is broken by hand.
func (c Context) defuse(s string) string {
	if !strings.ContainsAny(s, "<@＠") {
		return s
	}
	for range 32 {
		next := c.defuseOnce(s)
		if next == s {
			return s
		}
		s = next
	}
	return strings.NewReplacer("<!", "‹!", "<@", "‹@").Replace(s)
}

func (c Context) defuseOnce(s string) string {
	s = slackUser.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackUser.FindStringSubmatch(m)
		if p, ok := c.byIdentity(sub[1]); ok {
			return "@" + p.Name
		}
		if sub[2] != "" {
			return "@" + sub[2]
		}
		return "@" + sub[1]
	})
	s = slackSpecial.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackSpecial.FindStringSubmatch(m)
		word := sub[1]
		if sub[2] != "" {
			word = sub[2]
		}
		if !strings.HasPrefix(word, "@") {
			word = "@" + word
		}
		return word
	})
	s = broadcastEN.ReplaceAllString(s, "${1}${2}"+zwsp+"${3}")
	return broadcastZH.ReplaceAllString(s, "${1}"+zwsp+"${2}")
}

// plain is one line of free text as stored.
func (c Context) plain(s string) string { return oneLine(c.defuse(s)) }

// runeLimit is a field's effective cap on one piece of text.
func (f *Field) runeLimit() int {
	if f.Max > 0 {
		return f.Max
	}
	return defaultMax(f.Type)
}

func defaultMax(t Type) int {
	switch t {
	case TypeLongText:
		return bot.MaxFieldRunes
	case TypeStatuses:
		return 500
	}
	return 200
}

// fit refuses a piece of text over the field's limit; it never cuts.
func (f *Field) fit(s string) error {
	if n := utf8.RuneCountInString(s); n > f.runeLimit() {
		return f.tooLong(n, f.runeLimit())
	}
	return nil
}

func (f *Field) parseText(c Context, s string) (string, error) {
	if f.Type == TypeText {
		s = c.plain(s)
	} else {
		s = tidyLines(c.defuse(s))
	}
	if err := f.fit(s); err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n < f.Min {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.too_short", bot.Args{"min": strconv.Itoa(f.Min)})
	}
	return s, nil
}

var blankRun = regexp.MustCompile(`\n{3,}`)

// tidyLines trims trailing space off each line and keeps at most one
// empty line between paragraphs.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u3000")
	}
	return strings.TrimSpace(blankRun.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// bullet matches the list markers people type or paste before an item.
var bullet = regexp.MustCompile(strings.ReplaceAll(`^(?:[-*+](?:\s+|$)|[•·●▪‣]\s*|\d{1,2}[.．](?:\s+|$)|\d{1,2}\s*[、)）]\s*|[（(]\d{1,2}[)）]\s*|[①-⑳]\s*)`,
	`\s`, `[\s\x{3000}]`)) // the ideographic space too

// unbullet strips list markers, all of them ("1. - x"), so that a stored
// item never starts with one and reads back unchanged.
func unbullet(s string) string {
	s = strings.TrimSpace(s)
	for {
		m := bullet.FindStringIndex(s)
		if m == nil {
			return s
		}
		s = strings.TrimSpace(s[m[1]:])
	}
}

// items splits a list answer: one item per line, or items separated by
// ";" "；" "、" when there is only one. Commas are left alone because they
// occur inside items ("回顾进度,确认分工").
func items(s string) []string {
	out := splitItems(strings.Split(s, "\n"))
	if len(out) == 1 {
		out = splitItems(strings.FieldsFunc(out[0], func(r rune) bool { return r == ';' || r == '；' || r == '、' }))
	}
	return out
}

func splitItems(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p = unbullet(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (f *Field) parseList(c Context, s string) (string, error) {
	list := items(s)
	for i, it := range list {
		list[i] = c.plain(it)
		if n := utf8.RuneCountInString(list[i]); n > f.runeLimit() {
			return "", f.failLine(bot.CodeInvalid, i+1, it, "refuse.answer.line_too_long", bot.Args{"max": strconv.Itoa(f.runeLimit())})
		}
	}
	return f.joined(list)
}

// joined is the canonical form of a multi-line answer, within the
// domain's cap on a whole field.
func (f *Field) joined(lines []string) (string, error) {
	out := strings.Join(lines, "\n")
	if n := utf8.RuneCountInString(out); n > bot.MaxFieldRunes {
		return "", f.tooLong(n, bot.MaxFieldRunes)
	}
	if out == "" && f.Required {
		return "", f.fail(bot.CodeRequired, "refuse.answer.required", nil)
	}
	return out, nil
}

var spaced = strings.NewReplacer("_", " ", "-", " ")

func (f *Field) parseChoice(s string) (string, error) {
	k := fold(strings.Trim(s, " .。!！?？,，;；\"'“”‘’"))
	alt := spaced.Replace(k)
	for _, ch := range f.Choices {
		for _, name := range append([]string{ch.Value, ch.Label.ZH, ch.Label.EN}, ch.Aliases...) {
			n := fold(name)
			if n != "" && (k == n || alt == spaced.Replace(n)) {
				return ch.Value, nil
			}
		}
	}
	// A number picks by position, as a numbered prompt offers them.
	if i, err := strconv.Atoi(k); err == nil && i >= 1 && i <= len(f.Choices) {
		return f.Choices[i-1].Value, nil
	}
	return "", f.fail(bot.CodeInvalid, "refuse.answer.not_a_choice", bot.Args{"value": quote(s)})
}

// choiceList names the choices as people may type them.
func (f *Field) choiceList() bot.Text {
	var zh, en []string
	for _, ch := range f.Choices {
		zh = append(zh, ch.Label.ZH)
		en = append(en, ch.Value)
	}
	return bot.Text{ZH: strings.Join(zh, " / "), EN: strings.Join(en, " / ")}
}

var thousands = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+$`)

func (f *Field) parseNumber(s string) (string, error) {
	k := strings.ReplaceAll(narrow(strings.TrimSpace(s)), " ", "")
	if thousands.MatchString(k) {
		k = strings.ReplaceAll(k, ",", "")
	}
	n, err := strconv.ParseInt(k, 10, 64)
	if err != nil || n > 1e15 || n < -1e15 {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.not_a_number", bot.Args{"value": quote(s)})
	}
	if n < int64(f.Min) || (f.Max != 0 && n > int64(f.Max)) {
		if f.Max != 0 {
			return "", f.fail(bot.CodeInvalid, "refuse.answer.number_between", bot.Args{"min": f.Min, "max": f.Max})
		}
		return "", f.fail(bot.CodeInvalid, "refuse.answer.number_at_least", bot.Args{"min": f.Min})
	}
	return strconv.FormatInt(n, 10), nil
}

const maxURLRunes = 2000

// slackLink is how Slack hands over a link someone typed: <url> or <url|text>.
var slackLink = regexp.MustCompile(`^<(https?://[^|>]+)(?:\|[^>]*)?>$`)

func (f *Field) parseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if m := slackLink.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	u, ok := webURL(s)
	if !ok {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.not_a_link", nil)
	}
	return u, nil
}

// webURL accepts an http(s) link to a host and nothing a browser would run
// or a reader could be fooled by (javascript:, data:, file:, user@host).
// The link is kept as typed, apart from a lower-case scheme.
func webURL(s string) (string, bool) {
	if s == "" || utf8.RuneCountInString(s) > maxURLRunes || strings.ContainsAny(s, " \t\n<>\"") {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Hostname() == "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	return scheme + s[len(u.Scheme):], true
}

func (f *Field) parseRef(s string) (string, error) {
	n, err := bot.ParseRef(f.Ref, narrow(s))
	if err != nil {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.bad_id", bot.Args{"value": quote(s)})
	}
	return string(f.Ref) + "-" + strconv.FormatInt(n, 10), nil
}
