package forms_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
)

func TestFieldLookup(t *testing.T) {
	req := template(t, "request")
	for in, want := range map[string]string{
		"topic": "topic", " TOPIC ": "topic", "ｔｏｐｉｃ": "topic", "主题": "topic", "协作主题": "topic",
		"subject": "topic", "Background and goal": "goal", "background  and   GOAL": "goal", "目标": "goal",
		"涉及场景/系统": "scope", "Scenarios and systems": "scope", "总协调人": "coordinator", "deadline": "due",
	} {
		if f, ok := req.Field(in); !ok || f.Key != want {
			t.Errorf("Field(%q) = %v, %v; want %s", in, f, ok, want)
		}
	}
	for _, in := range []string{"", "  ", "nothing", "协作"} {
		if f, ok := req.Field(in); ok {
			t.Errorf("Field(%q) = %s", in, f.Key)
		}
	}
}

func TestActiveAndMissing(t *testing.T) {
	ack := template(t, "acknowledgement")
	keys := func(fs []*forms.Field) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Key)
		}
		return out
	}
	for _, tt := range []struct {
		v    forms.Values
		want []string
	}{
		{forms.Values{}, []string{"decision"}},
		{forms.Values{"decision": "accept"}, nil},
		{forms.Values{"decision": "decline"}, []string{"reason", "alternative"}},
		{forms.Values{"decision": "decline", "reason": "排期已满", "alternative": " "}, []string{"alternative"}},
		{forms.Values{"decision": "info"}, []string{"question"}},
		{forms.Values{"decision": "bogus"}, nil},
	} {
		if got := keys(ack.Missing(tt.v)); !equal(got, tt.want) {
			t.Errorf("Missing(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
	scope, _ := ack.Field("scope")
	if ack.Active(scope, forms.Values{"decision": "decline"}) || !ack.Active(scope, forms.Values{"decision": "accept"}) {
		t.Error("scope is asked only on accept")
	}
	decision, _ := ack.Field("decision")
	if !ack.Active(decision, nil) {
		t.Error("a field without when is always active")
	}

	review := template(t, "review")
	comments, _ := review.Field("comments")
	if !review.Active(comments, forms.Values{"decision": "approve"}) || review.Requires(comments, forms.Values{"decision": "approve"}) {
		t.Error("comments are asked but optional on approve")
	}
	if !review.Requires(comments, forms.Values{"decision": "reject"}) {
		t.Error("comments are required on reject")
	}
	if got := keys(review.Missing(forms.Values{"decision": "reject"})); !equal(got, []string{"comments"}) {
		t.Errorf("review Missing on reject = %v", got)
	}

	// The rework deadline defaults to the acceptance span: not missing.
	acc := template(t, "acceptance")
	if got := keys(acc.Missing(forms.Values{"verdict": "fail"})); !equal(got, []string{"items", "comments"}) {
		t.Errorf("acceptance Missing on fail = %v", got)
	}
	if got := keys(acc.Missing(forms.Values{"verdict": "pass"})); got != nil {
		t.Errorf("acceptance Missing on pass = %v", got)
	}
}

// A condition on a field that is itself inactive does not hold, and a
// hand-built cycle does not hang.
func TestConditionsChain(t *testing.T) {
	choice := func(key string, when *forms.Condition) *forms.Field {
		return &forms.Field{Key: key, Type: forms.TypeChoice, When: when,
			Choices: []forms.Choice{{Value: "yes"}, {Value: "no"}}}
	}
	a := choice("a", nil)
	b := choice("b", &forms.Condition{Field: "a", In: []string{"yes"}})
	c := &forms.Field{Key: "c", Type: forms.TypeText, Required: true, When: &forms.Condition{Field: "b", In: []string{"yes"}}}
	tpl := &forms.Template{Name: "chain", Fields: []*forms.Field{a, b, c}}
	if tpl.Active(c, forms.Values{"a": "no", "b": "yes"}) {
		t.Error("c is active although b is not")
	}
	if !tpl.Active(c, forms.Values{"a": "yes", "b": "yes"}) {
		t.Error("c is inactive although a and b say yes")
	}
	a.When = &forms.Condition{Field: "b", In: []string{"yes"}}
	_ = tpl.Active(c, forms.Values{"a": "yes", "b": "yes"}) // must return
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestUnknownTypeIsRefusedNotPanicked(t *testing.T) {
	f := &forms.Field{Key: "x", Type: "mystery"}
	if _, err := f.Parse(ctx(t), "hello"); bot.ErrorCode(err) != bot.CodeInvalid {
		t.Errorf("unknown type: %v", err)
	}
}
