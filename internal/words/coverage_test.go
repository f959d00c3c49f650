package words_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/words"
	"github.com/collabot/collabot/scheduler"
)

var langs = []bot.Lang{bot.Chinese, bot.English}

// TestEveryNoticeKindHasWords: each kind of notice the engine writes has
// its title in every language (its body's keys are checked where the code
// names them, by TestEveryUsedKeyExists).
func TestEveryNoticeKindHasWords(t *testing.T) {
	kinds := engine.NoticeKinds()
	if len(kinds) < 40 {
		t.Fatalf("only %d notice kinds", len(kinds))
	}
	for _, kind := range kinds {
		for _, lang := range langs {
			if !words.Has(lang, "notice."+kind+".title") {
				t.Errorf("notice %s has no %s title", kind, lang)
			}
		}
	}
}

// TestEveryTimerHasWords: each timer people tune (`remind COL-n <timer>`)
// has its name, and each timer the scheduler fires (the kinds in
// scheduler/due.go) its notice and its names in the record's reminder
// summary, in every language.
func TestEveryTimerHasWords(t *testing.T) {
	for _, timer := range scheduler.Timers() {
		for _, lang := range langs {
			if !words.Has(lang, "timer."+timer) {
				t.Errorf("timer %s has no %s name", timer, lang)
			}
		}
	}
	for _, kind := range timerKinds(t) {
		for _, lang := range langs {
			for _, key := range []string{"notice." + kind + ".title", "record.reminder." + kind, "record.reminder_word." + kind} {
				if !words.Has(lang, key) {
					t.Errorf("timer kind %s has no %s text %s", kind, lang, key)
				}
			}
		}
	}
}

// TestNoTimerWordsLeftOver: the catalogue names no timer the scheduler
// does not have.
func TestNoTimerWordsLeftOver(t *testing.T) {
	want := map[string]bool{}
	for _, timer := range scheduler.Timers() {
		want["timer."+timer] = true
	}
	for _, k := range words.Keys(bot.Chinese) {
		if len(k) > 6 && k[:6] == "timer." && !want[k] {
			t.Errorf("%s names no timer of scheduler.Timers()", k)
		}
	}
}

// timerKinds reads the timer kinds, the string constants of the block in
// scheduler/due.go that declares AckReminder: the scheduler has no list
// of them, and a constant added there must get its words here.
func timerKinds(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../../scheduler/due.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		var block []string
		found := false
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				found = found || name.Name == "AckReminder"
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						block = append(block, s)
					}
				}
			}
		}
		if found {
			kinds = block
		}
	}
	if len(kinds) < 15 {
		t.Fatalf("found %d timer kinds in scheduler/due.go", len(kinds))
	}
	return kinds
}
