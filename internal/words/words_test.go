package words

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestEveryKeyInEveryLanguage: a text in one language has its translation
// in every other, with the same placeholders (a translator may reorder
// them, not drop or invent one), and none is empty.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	all := map[string]bool{}
	for lang := range Langs {
		for _, k := range Keys(lang) {
			all[k] = true
		}
	}
	if len(all) == 0 {
		t.Fatal("the catalogue is empty")
	}
	for k := range all {
		var want []string
		for i, lang := range []bot.Lang{bot.Chinese, bot.English} {
			if !Has(lang, k) {
				t.Errorf("%s has no %s text", k, lang)
				continue
			}
			s := Raw(lang, k)
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s is empty in %s", k, lang)
			}
			got := Placeholders(s)
			if i == 0 {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("%s: %s has placeholders %v, zh-CN %v", k, lang, got, want)
			}
		}
	}
}

// TestNoOtherLanguageInside: a Chinese text has no English word in it and
// an English text no Chinese, beyond the commands and examples people
// type (between backticks, or the whole of a form.example text: ids,
// links) and the product's name.
func TestNoOtherLanguageInside(t *testing.T) {
	for _, k := range Keys(bot.English) {
		if k == otherLanguage {
			continue
		}
		if s := prose(Raw(bot.English, k)); strings.ContainsFunc(s, isHan) {
			t.Errorf("en %s has Chinese in it: %q", k, Raw(bot.English, k))
		}
	}
	for _, k := range Keys(bot.Chinese) {
		if strings.HasPrefix(k, "form.example.") || k == otherLanguage {
			continue
		}
		s := prose(Raw(bot.Chinese, k))
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) {
			if len(w) > 2 && !chineseMayQuote[w] {
				t.Errorf("zh-CN %s has the English word %q in it: %q", k, w, Raw(bot.Chinese, k))
			}
		}
	}
}

// chineseMayQuote are the Latin words a Chinese text may carry: names of
// products and formats, and abbreviations.
var chineseMayQuote = map[string]bool{"collabot": true, "configs": true, "calendars": true, "csv": true, "WBS": true, "Slack": true, "Markdown": true, "http": true, "https": true, "COL": true,
	"JavaScript": true, "COLLABOT": true, "WEB": true, "SECRET": true}

// otherLanguage is the web board's language switch: it names the other
// language in that language ("English" on a Chinese page).
const otherLanguage = "page.nav.lang"

// prose is s without its placeholders and quoted commands.
func prose(s string) string {
	s = placeholder.ReplaceAllString(s, "")
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 0 {
			b.WriteString(part)
		}
	}
	return b.String()
}

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

func TestGet(t *testing.T) {
	tests := []struct {
		lang bot.Lang
		key  string
		args Args
		want string
	}{
		{bot.Chinese, "format.field", Args{"label": "原因", "value": "预算"}, "原因:预算"},
		{bot.English, "format.field", Args{"label": bot.Text{ZH: "原因", EN: "Reason"}, "value": "budget"}, "Reason: budget"},
		{bot.English, "notice.acceptance_requested.intro", Args{"by": "Amy", "n": 2, "span": bot.Text{ZH: "3 个工作日", EN: "3 business days"}},
			"Amy submitted delivery 2; please decide within 3 business days (pass / fail with the items to rework):"},
	}
	for _, tt := range tests {
		if got := Get(tt.lang, tt.key, tt.args); got != tt.want {
			t.Errorf("Get(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

// TestMissing: a key missing in one language falls back to the other, a
// key missing in both or a placeholder without a value shows as nothing,
// never panics, and each is reported by Missing.
func TestMissing(t *testing.T) {
	catalogue[bot.Chinese]["test.only_zh"] = "只有中文 {x}"
	t.Cleanup(func() {
		delete(catalogue[bot.Chinese], "test.only_zh")
		missedMu.Lock()
		clear(missed)
		missedMu.Unlock()
	})
	if got := Get(bot.English, "test.only_zh", Args{"x": 1}); got != "只有中文 1" {
		t.Errorf("fallback = %q", got)
	}
	if got := Get(bot.English, "test.nowhere", nil); got != "" {
		t.Errorf("missing everywhere = %q", got)
	}
	if got := Get(bot.Chinese, "test.only_zh", nil); got != "只有中文 " {
		t.Errorf("missing placeholder = %q", got)
	}
	want := []string{"en test.nowhere", "en test.only_zh", "zh-CN test.only_zh {x}"}
	if got := Missing(); !slices.Equal(got, want) {
		t.Errorf("Missing() = %q, want %q", got, want)
	}
}

// TestRefusalNamesPeople: the people a refusal names (bot.Who) are
// written as the directory names them, in a message nested in another
// and in a list too; someone the directory does not know keeps the id,
// and without a directory (logs) everyone does.
func TestRefusalNamesPeople(t *testing.T) {
	dir := bot.NewDirectory("demo", nil, nil, []bot.Person{{ID: "lily", Name: "林莉 Lily"}, {ID: "amy", Name: "王芳 Amy"}})
	decider := bot.Refuse(bot.CodeForbidden, "refuse.plan.only_decider", bot.Args{"deciders": bot.Whos([]bot.PersonID{"lily", "ghost"})})
	nested := bot.Refuse(bot.CodeForbidden, "refuse.form.fix_and_confirm",
		bot.Args{"refusal": bot.Msg{Key: "refuse.coordinator.already", Args: bot.Args{"person": bot.Who("amy")}}})
	tests := []struct {
		lang bot.Lang
		err  error
		name Namer
		want string
	}{
		{bot.Chinese, decider, dir.Name, "只有决策人(林莉 Lily、ghost)可以批准或退回方案。"},
		{bot.English, decider, dir.Name, "Only the decision maker (林莉 Lily, ghost) approves or returns plans."},
		{bot.English, decider, nil, "Only the decision maker (lily, ghost) approves or returns plans."},
		{bot.Chinese, nested, dir.Name, "王芳 Amy 已是总协调人。"},
		{bot.English, nested, dir.Name, "王芳 Amy is already the coordinator."},
	}
	for _, tt := range tests {
		if got := RefusalNamed(tt.lang, tt.err, tt.name); !strings.HasPrefix(got, tt.want) {
			t.Errorf("RefusalNamed(%s, %v) = %q, want it to start %q", tt.lang, tt.err, got, tt.want)
		}
	}
	if got := Refusal(bot.English, decider); got != "Only the decision maker (lily, ghost) approves or returns plans." {
		t.Errorf("Refusal without a directory = %q", got)
	}
	if got := decider.Error(); !strings.Contains(got, "(lily, ghost)") {
		t.Errorf("log line = %q", got)
	}
}
