package dingtalk

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestInputValues: a card input's value as the callback carries it — a
// string, a list, or a JSON number (a number input) — reads as text, a
// number as written, never with an exponent.
func TestInputValues(t *testing.T) {
	for _, c := range []struct {
		name string
		in   any
		want []string
	}{
		{"text", " 接口调试 ", []string{"接口调试"}},
		{"blank", "  ", nil},
		{"list", []any{"研发部", "", "测试部"}, []string{"研发部", "测试部"}},
		{"whole number", float64(3), []string{"3"}},
		{"large number", float64(1500000), []string{"1500000"}},
		{"fraction", 2.5, []string{"2.5"}},
		{"json number", json.Number("1e6"), []string{"1000000"}},
		{"json integer", json.Number("12345678901234567"), []string{"12345678901234567"}},
		{"numbers in a list", []any{float64(1), "二"}, []string{"1", "二"}},
		{"nothing", nil, nil},
		{"a bool", true, nil},
	} {
		if got := strs(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
