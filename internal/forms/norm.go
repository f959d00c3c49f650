package forms

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// narrow turns the full-width ASCII a Chinese input method produces
// ("３月８日 １４：００", "Ｔ－３") into plain ASCII, and the ideographic
// space into a space, so the typed parsers see one spelling.
func narrow(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fold is the comparison form of keys, names, labels, aliases and
// choices: NFKC-normalised, so that full-width letters, ligatures and
// styled look-alikes ("𝐀𝐥𝐢𝐜𝐞", "ｂｏｂ") compare as the plain letters they
// stand for, with invisible characters removed, so that "b\u200bob" is
// bob and not a stranger who looks like him, then lower case with single
// spaces. NFKC also does what narrow does (full-width ASCII, the
// ideographic space).
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFKC.String(visible(s))), " "))
}

// visible removes the characters that show as nothing: zero-width
// spaces and joiners, word joiners, the byte-order mark, soft hyphens,
// bidirectional marks (all of Unicode's format class, Cf) and the blank
// fillers Hangul has.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r), r == '\u034F', r == '\u115F', r == '\u1160', r == '\u3164', r == '\uFFA0', r == '\u180E':
			return -1
		}
		return r
	}, s)
}

// clean drops what never belongs in an answer: control characters other
// than newline and tab (a terminal escape, a NUL), the bidirectional
// overrides that make text display differently from what it says, and a
// byte-order mark. Line endings become "\n".
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r' || r == '\u2028' || r == '\u2029':
			return '\n'
		case r == utf8.RuneError, r == '\uFEFF', unicode.IsControl(r),
			r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
}

// oneLine joins the lines of s with single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var zhDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': -1}

// zhNumerals writes Chinese numerals as digits ("三个工作日" → "3个工作日",
// "十一月二十日" → "11月20日", "二〇二六年" → "2026年", "星期一" → "星期1"),
// for the date and duration parsers only: in free text 一 is a word too.
func zhNumerals(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) > 0 {
			if n, ok := zhNumber(run); ok {
				b.WriteString(strconv.Itoa(n))
			} else {
				b.WriteString(string(run))
			}
			run = run[:0]
		}
	}
	for _, r := range s {
		if _, ok := zhDigits[r]; ok {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// zhNumber reads one run of numerals: with 十 as tens and units (up to
// 99), without it digit by digit (years).
func zhNumber(run []rune) (int, bool) {
	ten := -1
	for i, r := range run {
		if r == '十' {
			if ten >= 0 {
				return 0, false
			}
			ten = i
		}
	}
	if ten < 0 {
		n := 0
		for _, r := range run {
			n = n*10 + zhDigits[r]
		}
		return n, len(run) <= 4
	}
	tens, units := 1, 0
	switch ten {
	case 0:
	case 1:
		tens = zhDigits[run[0]]
	default:
		return 0, false
	}
	switch rest := run[ten+1:]; len(rest) {
	case 0:
	case 1:
		units = zhDigits[rest[0]]
	default:
		return 0, false
	}
	return tens*10 + units, true
}

var enNumbers = strings.NewReplacer(
	"an hour", "1 hour", "a day", "1 day", "a week", "1 week", "a minute", "1 minute",
	"half an hour", "30 minutes",
)

var enWords = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}

// enNumerals writes small English number words as digits ("in two days").
// s is lower case with single spaces.
func enNumerals(s string) string {
	s = enNumbers.Replace(s)
	words := strings.Split(s, " ")
	for i, w := range words {
		if d, ok := enWords[w]; ok {
			words[i] = d
		}
	}
	return strings.Join(words, " ")
}

// typed prepares an answer for the date and duration parsers: ASCII
// digits and punctuation, Chinese numerals as digits, lower case, single
// spaces.
func typed(s string) string {
	s = strings.ToLower(zhNumerals(narrow(s)))
	return enNumerals(oneLine(s))
}

// quote shows a piece of what someone typed inside a refusal: short, one
// line, and unable to ping anyone when the refusal is posted.
func quote(s string) string {
	if len(s) > 400 { // a 100 KB answer is refused without copying it all
		s = strings.ToValidUTF8(s[:400], "")
	}
	s = oneLine(clean(s))
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:40]) + "…"
	}
	return defuse(s)
}
