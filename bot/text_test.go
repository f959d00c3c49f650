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

// TestAttachmentLine: one way to show an attachment everywhere (chat,
// record, board): the link only when it says more than the name.
func TestAttachmentLine(t *testing.T) {
	for _, tt := range []struct {
		a    bot.Attachment
		want string
	}{
		{bot.Attachment{Name: "报告.pdf", Size: 320 * 1024, Link: "https://f.example/报告.pdf"}, "报告.pdf (320 KB) · https://f.example/报告.pdf"},
		{bot.Attachment{Name: "https://f.example/x", Link: "https://f.example/x"}, "https://f.example/x"},
		{bot.Attachment{Name: "notes.txt"}, "notes.txt"},
	} {
		if got := tt.a.Line(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.a, got, tt.want)
		}
	}
}
