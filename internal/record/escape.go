package record

import (
	"regexp"
	"strings"
)

// What people type ends up in messages the bot posts to a whole group, so
// it must neither ping everyone nor reshape the document around it. The
// replacements keep the text readable: a look-alike character instead of
// the one that triggers the platform.

var (
	// <!channel>, <!here>, <!subteam^…>, <@U123>: Slack's mention syntax.
	slackMention = regexp.MustCompile(`<([!@][^<>\n]*)>`)
	// @all and friends; \b so "@allison" stays a person.
	broadcast = regexp.MustCompile(`(?i)@(all|channel|here|everyone)\b`)
	// A line of only these characters is a thematic break, a setext
	// heading underline or a table delimiter row.
	ruleLine = regexp.MustCompile(`^[-=:|+*_ \t]+$`)
)

// lookalikes are the mention openers neutralise replaces; built once, as
// a list renders a line per collaboration.
var lookalikes = strings.NewReplacer("<!", "‹!", "<@", "‹@", "@所有人", "＠所有人")

// neutralise defuses mentions that would notify people.
func neutralise(s string) string {
	if !strings.ContainsAny(s, "<@") {
		return s // every mention starts with one of these
	}
	s = slackMention.ReplaceAllString(s, "‹$1›")
	s = lookalikes.Replace(s)
	return broadcast.ReplaceAllStringFunc(s, func(m string) string { return "＠" + m[1:] })
}

// inline is user text that stays on one line after a label or an id: a
// title, a name, a short field. It never starts a line, so only mentions,
// links and line breaks need care.
func inline(s string) string {
	return noLinks(noHTML(neutralise(strings.Join(strings.Fields(s), " "))))
}

// linkOpen is the start of an inline link or image, [label](…).
var linkOpen = regexp.MustCompile(`(^|[^\\])\[([^\[\]\n]*)\]\(`)

// noLinks escapes the brackets of an inline link or image someone typed,
// so [Login](https://evil…) reads as typed in a Markdown viewer, its
// address in sight, instead of a link labelled Login (or an image loaded
// from anywhere when the file is opened). The record writes no links of
// its own. Idempotent, like noHTML: an escaped bracket is left alone.
func noLinks(s string) string {
	if !strings.Contains(s, "](") {
		return s
	}
	return linkOpen.ReplaceAllString(s, `$1\[$2\](`)
}

// noHTML escapes the start of an HTML tag or comment: a Markdown viewer
// would render it (a <script> in a preview), where a chat shows it as
// typed. It is idempotent, because a value built from escaped names is
// escaped again as a whole.
func noHTML(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		// Byte by byte is safe: '<' and '\\' never occur inside a UTF-8
		// sequence.
		if s[i] == '<' && i+1 < len(s) && tagStart(s[i+1]) && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func tagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// block is user text that may span lines. Its first line follows a label;
// the others are continued at indent so they stay inside the list item
// they belong to, and start as plain text. Blank lines are dropped because
// they would end the item.
func block(s, indent string) string { return multiline(s, indent, false) }

// item is block for text that opens a list item itself ("- " + item), where
// a leading "#" or ">" would turn the item into a heading or a quote.
func item(s, indent string) string { return multiline(s, indent, true) }

func multiline(s, indent string, escapeFirst bool) string {
	var lines []string
	for _, line := range strings.Split(noLinks(noHTML(neutralise(s))), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if escapeFirst || len(lines) > 0 {
				line = escapeLine(line)
			}
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n"+indent)
}

// escapeLine makes a line start as plain text: not a heading, quote,
// table, HTML block, code fence, link definition or rule.
func escapeLine(line string) string {
	if line == "" {
		return line
	}
	switch {
	case strings.HasPrefix(line, "```"), strings.HasPrefix(line, "~~~"):
		return `\` + line
	case strings.ContainsRune("#>|<[", rune(line[0])):
		return `\` + line
	case ruleLine.MatchString(line):
		return `\` + line
	}
	return line
}

// tableCell is user text inside a Markdown table cell: one line (its
// lines joined by <br>), with its pipes escaped.
func tableCell(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = inline(l); l != "" {
			lines = append(lines, strings.ReplaceAll(l, "|", `\|`))
		}
	}
	return strings.Join(lines, "<br>")
}

// cell makes a CSV value safe to open in a spreadsheet: a leading = + - @
// (or a tab or CR, which some programs skip) would make it a formula, so it
// gets the apostrophe spreadsheets themselves use to mean "text".
func cell(s string) string {
	s = neutralise(s)
	if t := strings.TrimLeft(s, " "); t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) {
		return "'" + s
	}
	return s
}
