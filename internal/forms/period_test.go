package forms_test

import (
	"testing"

	"github.com/collabot/collabot/internal/forms"
)

// TestPastedPeriodFillsBothEnds: 使用期限 written as one period fills the
// loan's start and end, whatever separator people use, and a start typed
// without a time begins the working day, so a loan may last one day.
func TestPastedPeriodFillsBothEnds(t *testing.T) {
	req := template(t, "request")
	for _, tt := range []struct{ line, from, to string }{
		{"使用期限: 2026-12-07 至 2026-12-09", "2026-12-07 09:00", "2026-12-09 18:00"},
		{"使用期限:2026-12-07 — 2026-12-18", "2026-12-07 09:00", "2026-12-18 18:00"},
		{"使用期限: 12月7日-12月9日", "2026-12-07 09:00", "2026-12-09 18:00"},
		{"period: dec 7 to dec 9", "2026-12-07 09:00", "2026-12-09 18:00"},
		{"使用期限: 2026-12-08..2026-12-08", "2026-12-08 09:00", "2026-12-08 18:00"},
		{"使用开始日期: 2026-12-08\n使用结束日期: 2026-12-08", "2026-12-08 09:00", "2026-12-08 18:00"},
		// A start of its own wins: the period's text is the end alone.
		{"使用开始日期: 2026-12-01\n使用期限: 2026-12-09", "2026-12-01 09:00", "2026-12-09 18:00"},
	} {
		raw, _, ok := req.ParsePaste("协作类型: 资源协调申请\n" + tt.line)
		if !ok {
			t.Fatalf("%q: not a paste", tt.line)
		}
		v := forms.Values{}
		for _, key := range []string{"start", "end"} {
			f, _ := req.Field(key)
			got, err := f.Parse(ctx(t), raw[key])
			if err != nil {
				t.Fatalf("%q: %s %q: %v", tt.line, key, raw[key], err)
			}
			v[key] = got
		}
		if v["start"] != tt.from || v["end"] != tt.to {
			t.Errorf("%q: %s .. %s, want %s .. %s", tt.line, v["start"], v["end"], tt.from, tt.to)
		}
	}
	// An ISO date alone is no period: its dashes are the date's.
	raw, _, _ := req.ParsePaste("使用期限: 2026-12-09")
	if raw["start"] != "" || raw["end"] != "2026-12-09" {
		t.Errorf("a single date was split: %q", raw)
	}
}
