package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

func TestSplitText(t *testing.T) {
	cases := []struct {
		name string
		in   string
		n    int
		want int // pieces
	}{
		{"short", "一行", 100, 1},
		{"empty", "  ", 10, 0},
		{"at line breaks", "aaaa\nbbbb\ncccc", 9, 2},
		{"one long line of Chinese", strings.Repeat("协", 100), 100, 4}, // 33 runes (99 bytes) a piece
	}
	for _, c := range cases {
		got := bot.SplitText(c.in, c.n)
		if len(got) != c.want {
			t.Errorf("%s: %d pieces %q, want %d", c.name, len(got), got, c.want)
		}
		for _, p := range got {
			if len(p) > c.n || p == "" || !utf8.ValidString(p) {
				t.Errorf("%s: bad piece %q", c.name, p)
			}
		}
		if joined := strings.Join(got, ""); strings.ReplaceAll(strings.TrimSpace(c.in), "\n", "") != strings.ReplaceAll(joined, "\n", "") {
			t.Errorf("%s: lost text: %q", c.name, got)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 5, "hello"},
		{"hello!", 5, "hello…"},
		{"跨部门协作", 5, "跨部门协作"},
		{"跨部门协作助手", 3, "跨部门…"},
		{"", 3, ""},
	} {
		if got := bot.Truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
