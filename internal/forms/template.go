package forms

import (
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
)

// Type says how an answer is read and what its canonical form is (see the
// package documentation for each one).
type Type string

const (
	TypeText         Type = "text"         // one line
	TypeLongText     Type = "longtext"     // several lines
	TypeDateTime     Type = "datetime"     // a moment; the time of day is required
	TypeDate         Type = "date"         // a day, by default at the end of the working day
	TypeDuration     Type = "duration"     // elapsed time, or business time when Field.Business
	TypeDepartment   Type = "department"   // one department of the directory
	TypeDepartments  Type = "departments"  // several departments
	TypePerson       Type = "person"       // one person of the directory
	TypePeople       Type = "people"       // several people
	TypeChoice       Type = "choice"       // one of Field.Choices
	TypeNumber       Type = "number"       // a whole number within Min..Max
	TypeURL          Type = "url"          // an http(s) link
	TypeList         Type = "list"         // short items, one per line
	TypeActions      Type = "actions"      // owner, what, due per line (minutes' action items)
	TypeDeliverables Type = "deliverables" // name, version, quantity, link per line
	TypeStatuses     Type = "statuses"     // task, status, note per line (progress)
	TypeRef          Type = "ref"          // an identifier such as T-3
)

var types = []Type{TypeText, TypeLongText, TypeDateTime, TypeDate, TypeDuration,
	TypeDepartment, TypeDepartments, TypePerson, TypePeople, TypeChoice, TypeNumber,
	TypeURL, TypeList, TypeActions, TypeDeliverables, TypeStatuses, TypeRef}

// multiline reports whether an answer of this type may span lines, which
// decides how a pasted form treats a line that is not a known key.
func (t Type) multiline() bool {
	switch t {
	case TypeLongText, TypeList, TypeActions, TypeDeliverables, TypeStatuses,
		TypePeople, TypeDepartments:
		return true
	}
	return false
}

// Choice is one allowed answer of a choice field. Value is what is stored;
// Label and Aliases are what people may type instead.
type Choice struct {
	Value   string
	Label   bot.Text
	Aliases []string
}

// Condition holds when an earlier choice field's value is one of In.
type Condition struct {
	Field string
	In    []string
}

// Field is one question of a form.
type Field struct {
	Key     string
	Label   bot.Text
	Prompt  bot.Text
	Help    bot.Text
	Example bot.Text // a right answer, shown when an answer is refused; empty: one per type
	Type    Type
	// Required fields must be answered whenever they are active.
	Required bool
	// RequiredWhen makes an always-asked field required only for some
	// answers of an earlier choice ("comments" is optional on approve,
	// required on reject), which When cannot say because it hides the field.
	RequiredWhen *Condition
	// Max and Min: for text types the rune limits of the answer (list,
	// actions, deliverables, statuses: of each item's text); for number the
	// value range, Max 0 meaning no upper bound.
	Max, Min int
	Aliases  []string
	Choices  []Choice
	// When makes the field exist only for some answers of an earlier choice
	// field: it is neither asked nor accepted otherwise.
	When *Condition
	Ref  bot.IDKind // for TypeRef
	// Business makes a duration count business days or hours ("3bd").
	Business bool
	// Begins makes a date the first day of a period (a loan's or a task's start): a
	// day typed without a time is the start of the working day, not its
	// end, so a period may begin and end on one day.
	Begins bool
	// More keeps a list's question open in chat: each message adds items
	// (an agenda typed one topic per message on a phone) until the person
	// moves on with `下一步`/`next` or `跳过`/`skip`.
	More bool
	// PeriodFrom names the date field that begins the period this date
	// field ends: a pasted "使用期限: 12-07 至 12-09" fills both.
	PeriodFrom string
}

// Template is one form: its fields in the order they are asked.
type Template struct {
	Name   string
	Title  bot.Text
	Fields []*Field

	source string // the file it came from, for start-up errors
}

// Field finds a field by key, alias, or Chinese or English label, ignoring
// case, surrounding space and full-width letters. Templates are a dozen
// fields, so a scan beats keeping an index in sync.
func (t *Template) Field(keyOrLabel string) (*Field, bool) {
	// Callers mostly ask by key (the field a dialog is asking): found
	// without folding every field's names, as names address one field
	// only (load.go refuses a name shared by two).
	for _, f := range t.Fields {
		if f.Key == keyOrLabel {
			return f, true
		}
	}
	k := fold(keyOrLabel)
	if k == "" {
		return nil, false
	}
	for _, f := range t.Fields {
		if slices.Contains(f.names(), k) {
			return f, true
		}
	}
	return nil, false
}

// names are the folded spellings that address f.
func (f *Field) names() []string {
	out := []string{fold(f.Key), fold(f.Label.ZH), fold(f.Label.EN)}
	for _, a := range f.Aliases {
		out = append(out, fold(a))
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// Active reports whether f exists given the answers so far: it has no
// When, or the field it names is itself active and answered with one of
// the listed values.
func (t *Template) Active(f *Field, v Values) bool {
	return t.holds(f.When, v, 0)
}

// Requires reports whether f must be answered given the answers so far.
func (t *Template) Requires(f *Field, v Values) bool {
	if !t.Active(f, v) {
		return false
	}
	return f.Required || (f.RequiredWhen != nil && t.holds(f.RequiredWhen, v, 0))
}

// holds evaluates a condition; depth guards against a cycle in a template
// that was built by hand rather than by Load (which refuses them).
func (t *Template) holds(c *Condition, v Values, depth int) bool {
	if c == nil {
		return true
	}
	if depth > len(t.Fields) {
		return false
	}
	ctl, ok := t.byKey(c.Field)
	if !ok || !t.holds(ctl.When, v, depth+1) {
		return false
	}
	return slices.Contains(c.In, v[c.Field])
}

func (t *Template) byKey(key string) (*Field, bool) {
	for _, f := range t.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return nil, false
}

// Missing lists the fields that must still be answered, in template order.
func (t *Template) Missing(v Values) []*Field {
	var out []*Field
	for _, f := range t.Fields {
		if t.Requires(f, v) && strings.TrimSpace(v[f.Key]) == "" {
			out = append(out, f)
		}
	}
	return out
}

// Choice finds the choice whose value is value.
func (f *Field) Choice(value string) (Choice, bool) {
	for _, c := range f.Choices {
		if c.Value == value {
			return c, true
		}
	}
	return Choice{}, false
}
