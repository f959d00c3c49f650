package forms

import (
	"fmt"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
)

// Validation of one template's fields. Problems are collected, not
// returned at the first, so that Load can report every one at once.

// field converts and checks one field; t holds the fields before it.
func field(y yamlField, t *Template) (*Field, []string) {
	var msgs []string
	bad := func(format string, a ...any) { msgs = append(msgs, fmt.Sprintf(format, a...)) }
	f := &Field{Key: y.Key, Label: bot.Text(y.Label), Prompt: bot.Text(y.Prompt), Type: Type(y.Type),
		Required: y.Required, Aliases: y.Aliases, Ref: bot.IDKind(strings.ToUpper(y.Ref)), Business: y.Business,
		Begins: y.Begins, More: y.More, PeriodFrom: y.PeriodFrom}
	if !keyRe.MatchString(y.Key) {
		bad("key %q must be a lower-case identifier (a-z, 0-9, _)", y.Key)
	}
	if _, dup := t.byKey(y.Key); dup && y.Key != "" {
		bad("key %q is used twice", y.Key)
	}
	both := func(what string, x *yamlText) {
		if x != nil && (strings.TrimSpace(x.ZH) == "" || strings.TrimSpace(x.EN) == "") {
			bad("%s needs both zh and en", what)
		}
	}
	both("label", &y.Label)
	both("prompt", &y.Prompt)
	both("help", y.Help)
	both("example", y.Example)
	if y.Help != nil {
		f.Help = bot.Text(*y.Help)
	}
	if y.Example != nil {
		f.Example = bot.Text(*y.Example)
	}
	for _, n := range append([]string{y.Label.ZH, y.Label.EN}, y.Aliases...) {
		if strings.ContainsAny(n, ":：\n") {
			bad("%q cannot contain a colon or a line break: a pasted form could never use it", n)
		}
	}
	for _, a := range y.Aliases {
		if strings.TrimSpace(a) == "" {
			bad("an alias is empty")
		}
	}
	if !slices.Contains(types, f.Type) {
		bad("unknown type %q (one of %s)", y.Type, typeList())
	}
	checkLimits(f, y, bad)
	f.Choices = choices(y, bad)
	if f.Type == TypeRef {
		if !slices.Contains([]bot.IDKind{bot.KindCollab, bot.KindTask, bot.KindMeeting, bot.KindRisk}, f.Ref) {
			bad("type ref needs ref: COL, T, M or R (got %q)", y.Ref)
		}
	} else if y.Ref != "" {
		bad("ref is only for type ref")
	}
	if y.Business && f.Type != TypeDuration {
		bad("business is only for type duration")
	}
	if y.Begins && f.Type != TypeDate {
		bad("begins is only for type date")
	}
	if y.More && f.Type != TypeList {
		bad("more is only for type list")
	}
	if y.PeriodFrom != "" {
		if from, ok := t.byKey(y.PeriodFrom); !ok || from.Type != TypeDate || f.Type != TypeDate {
			bad("period_from must name an earlier date field, and the field must be a date too (got %q)", y.PeriodFrom)
		}
	}
	f.When = condition("when", y.When, t, bad)
	f.RequiredWhen = condition("required_when", y.RequiredWhen, t, bad)
	if f.Required && f.RequiredWhen != nil {
		bad("required and required_when together: keep one")
	}
	return f, msgs
}

func typeList() string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// checkLimits sets Max and Min: rune limits for text types (defaults 200,
// longtext 4000), a value range for numbers, nothing for the rest.
func checkLimits(f *Field, y yamlField, bad func(string, ...any)) {
	switch f.Type {
	case TypeText, TypeLongText, TypeList, TypeActions, TypeDeliverables, TypeStatuses:
		f.Max = defaultMax(f.Type)
		if y.Max != nil {
			f.Max = *y.Max
			if f.Max < 1 || f.Max > bot.MaxFieldRunes {
				bad("max %d must be between 1 and %d characters", f.Max, bot.MaxFieldRunes)
			}
		}
		if y.Min != nil {
			f.Min = *y.Min
			if f.Type != TypeText && f.Type != TypeLongText {
				bad("min is only for text, longtext and number")
			} else if f.Min < 0 || f.Min > f.Max {
				bad("min %d must be between 0 and max %d", f.Min, f.Max)
			}
		}
	case TypeNumber:
		if y.Min != nil {
			f.Min = *y.Min
		}
		if y.Max != nil {
			f.Max = *y.Max
			if f.Max <= f.Min {
				bad("max %d must be more than min %d", f.Max, f.Min)
			}
		}
	default:
		if y.Max != nil || y.Min != nil {
			bad("max and min do not apply to type %s", f.Type)
		}
	}
}

func choices(y yamlField, bad func(string, ...any)) []Choice {
	if Type(y.Type) != TypeChoice {
		if len(y.Choices) > 0 {
			bad("choices are only for type choice")
		}
		return nil
	}
	if len(y.Choices) < 2 {
		bad("type choice needs at least two choices")
	}
	var out []Choice
	seen := map[string]string{}
	for _, yc := range y.Choices {
		c := Choice{Value: yc.Value, Label: bot.Text(yc.Label), Aliases: yc.Aliases}
		if !keyRe.MatchString(c.Value) {
			bad("choice value %q must be a lower-case identifier", c.Value)
		}
		if c.Label.ZH == "" || c.Label.EN == "" {
			bad("choice %q: label needs both zh and en", c.Value)
		}
		for _, n := range append([]string{c.Value, c.Label.ZH, c.Label.EN}, c.Aliases...) {
			k := fold(n)
			if k == "" {
				continue
			}
			if other, taken := seen[k]; taken && other != c.Value {
				bad("choice %q: %q also names choice %q", c.Value, n, other)
			}
			seen[k] = c.Value
		}
		out = append(out, c)
	}
	return out
}

// condition checks that a when names an earlier choice field and values
// it can take: a later field would be asked after the one it decides.
func condition(what string, y *yamlCondition, t *Template, bad func(string, ...any)) *Condition {
	if y == nil {
		return nil
	}
	c := &Condition{Field: y.Field, In: y.In}
	ctl, ok := t.byKey(y.Field)
	switch {
	case y.Field == "":
		bad("%s needs field", what)
	case !ok:
		bad("%s names field %q, which is unknown or comes later", what, y.Field)
	case ctl.Type != TypeChoice:
		bad("%s names field %q, which is not a choice", what, y.Field)
	case len(y.In) == 0:
		bad("%s needs in: the values of %s that make it apply", what, y.Field)
	default:
		for _, v := range y.In {
			if _, ok := ctl.Choice(v); !ok {
				bad("%s: %q is not a choice value of %s", what, v, y.Field)
			}
		}
	}
	return c
}

// compatible checks an override against the built-in template of the same
// name: the fields it keeps must keep their type (text and longtext are
// interchangeable) and offer no choice the engine does not know.
func compatible(file string, builtin, t *Template) []Problem {
	var ps []Problem
	for _, f := range t.Fields {
		b, ok := builtin.byKey(f.Key)
		if !ok {
			continue
		}
		text := func(x Type) bool { return x == TypeText || x == TypeLongText }
		if f.Type != b.Type && !(text(f.Type) && text(b.Type)) {
			ps = append(ps, Problem{file, f.Key, fmt.Sprintf("type %s differs from the built-in %s, which collabot reads it as", f.Type, b.Type)})
		}
		if f.Ref != b.Ref {
			ps = append(ps, Problem{file, f.Key, fmt.Sprintf("ref %s differs from the built-in %s", f.Ref, b.Ref)})
		}
		for _, c := range f.Choices {
			if _, ok := b.Choice(c.Value); !ok && b.Type == TypeChoice {
				ps = append(ps, Problem{file, f.Key, fmt.Sprintf("choice %q is not one collabot knows (built-in: %s)", c.Value, b.choiceList().EN)})
			}
		}
	}
	return ps
}
