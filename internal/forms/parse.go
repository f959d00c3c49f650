package forms

import (
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/words"
)

// Context is what reading an answer depends on besides the answer.
type Context struct {
	Now       time.Time
	Calendar  *calendar.Calendar // location and business days
	Directory *bot.Directory
	Mentions  []bot.Identity // accounts @-mentioned in the message, in order
	Platform  bot.Platform   // the speaker's platform, to resolve raw platform ids

	begins bool // the field being read begins a period (Field.Begins)
}

// maxRawBytes bounds an answer before any work is done on it: the longest
// legal answer (MaxFieldRunes of four-byte runes, plus the markup a
// platform adds) fits, and a pasted log is refused in constant time.
const maxRawBytes = 6 * bot.MaxFieldRunes

// Parse reads one answer and returns its canonical form (see the package
// documentation), which Parse reads back unchanged, so a dialog can be
// resumed hours later without "明天" moving. An empty answer is "" for an
// optional field and a refusal for a required one; whether a field is
// required given the other answers is Template.Requires' business. A
// refusal is a *bot.Error naming the field, saying what was wrong and
// showing a right answer in both languages.
func (f *Field) Parse(c Context, raw string) (string, error) {
	if len(raw) > maxRawBytes {
		return "", f.tooLong(utf8.RuneCountInString(raw), bot.MaxFieldRunes)
	}
	s := clean(raw)
	if isBlank(s) {
		if f.Required {
			return "", f.fail(bot.CodeRequired, "refuse.answer.required", nil)
		}
		return "", nil
	}
	c = c.ready()
	switch f.Type {
	case TypeText, TypeLongText:
		return f.parseText(c, s)
	case TypeList:
		return f.parseList(c, s)
	case TypeChoice:
		return f.parseChoice(s)
	case TypeNumber:
		return f.parseNumber(s)
	case TypeURL:
		return f.parseURL(s)
	case TypeDate, TypeDateTime:
		return f.parseTime(c, s)
	case TypeDuration:
		return f.parseDuration(c, s)
	case TypeDepartment, TypeDepartments:
		return f.parseDepartments(c, s)
	case TypePerson, TypePeople:
		return f.parsePeople(c, s)
	case TypeActions:
		return f.parseActions(c, s)
	case TypeDeliverables:
		return f.parseDeliverables(c, s)
	case TypeStatuses:
		return f.parseStatuses(c, s)
	case TypeRef:
		return f.parseRef(s)
	}
	return "", bot.RefuseField(bot.CodeInvalid, f.Key, "refuse.answer.unknown_type", bot.Args{"type": string(f.Type)})
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\u3000' {
			return false
		}
	}
	return true
}

var (
	defaultCalOnce sync.Once
	defaultCal     *calendar.Calendar
)

// ready fills in what a caller left out, so that a half-built Context
// reads answers instead of crashing: a Monday–Friday calendar in
// Asia/Shanghai, an empty directory, the wall clock.
func (c Context) ready() Context {
	if c.Calendar == nil {
		defaultCalOnce.Do(func() { defaultCal, _ = calendar.New(calendar.Options{}) })
		c.Calendar = defaultCal
	}
	if c.Directory == nil {
		c.Directory = bot.NewDirectory("", nil, nil, nil)
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	c.Now = c.Now.In(c.Calendar.Location())
	return c
}

// fail refuses an answer: the label, what was wrong (the catalogue's text
// key, a sentence with its final punctuation that follows the label), and
// an example of a right answer.
func (f *Field) fail(code bot.Code, key string, args bot.Args) error {
	return bot.RefuseField(code, f.Key, "refuse.answer.wrapped",
		bot.Args{"label": f.Label, "problem": bot.Msg{Key: key, Args: args}, "example": f.example()})
}

// failLine refuses one line of a multi-line answer, saying which.
func (f *Field) failLine(code bot.Code, n int, line, key string, args bot.Args) error {
	return f.fail(code, "refuse.answer.line", bot.Args{"n": n, "line": quote(line), "problem": bot.Msg{Key: key, Args: args}})
}

func (f *Field) tooLong(got, max int) error {
	return f.fail(bot.CodeInvalid, "refuse.answer.too_long", bot.Args{"max": strconv.Itoa(max), "got": strconv.Itoa(got)})
}

// example is the field's own example, or one that fits its type.
func (f *Field) example() bot.Text {
	if f.Example.ZH != "" || f.Example.EN != "" {
		return f.Example
	}
	switch f.Type {
	case TypeDate:
		return words.Text("form.example.date", nil)
	case TypeDateTime:
		return words.Text("form.example.datetime", nil)
	case TypeDuration:
		if f.Business {
			return words.Text("form.example.business_duration", nil)
		}
		return words.Text("form.example.duration", nil)
	case TypeDepartment:
		return words.Text("form.example.department", nil)
	case TypeDepartments:
		return words.Text("form.example.departments", nil)
	case TypePerson:
		return words.Text("form.example.person", nil)
	case TypePeople:
		return words.Text("form.example.people", nil)
	case TypeChoice:
		return f.choiceList()
	case TypeNumber:
		return bot.Text{ZH: strconv.Itoa(max(f.Min, 1)), EN: strconv.Itoa(max(f.Min, 1))}
	case TypeURL:
		return words.Text("form.example.url", nil)
	case TypeList:
		return words.Text("form.example.list", nil)
	case TypeActions:
		return words.Text("form.example.actions", nil)
	case TypeDeliverables:
		return words.Text("form.example.deliverables", nil)
	case TypeStatuses:
		return words.Text("form.example.statuses", nil)
	case TypeRef:
		k := string(f.Ref)
		if k == "" {
			k = "T"
		}
		return bot.Text{ZH: k + "-3", EN: k + "-3"}
	}
	return words.Text("form.example.text", nil)
}
