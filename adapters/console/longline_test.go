package console_test

import (
	"bufio"
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/internal/testkit"
)

// TestLongLines (issue 14, row 7): a line of any length is one message
// the engine refuses politely, in the speaker's language, and the next
// line is still answered. The old terminal stopped at a line of 1 MiB
// with "bufio.Scanner: token too long" and exited 1.
func TestLongLines(t *testing.T) {
	tests := []struct {
		name, as string
		line     string
		refusal  string
		next     string
	}{
		{"2 MiB, Chinese", "amy", strings.Repeat("长", 2<<20/3+1), "消息太长", "看一个命令的全部用法"},
		{"2 MiB of ASCII, English", "david", strings.Repeat("x", 2<<20), "That message is too long", "accept COL-n"},
		{"exactly the terminal's cap", "amy", strings.Repeat("y", console.MaxLine), "消息太长", "看一个命令的全部用法"},
		{"2 MiB without a newline at the end", "amy", strings.Repeat("z", 2<<20), "消息太长", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
			d := testkit.OpenDemo(t, filepath.Join(t.TempDir(), "c.db"), clock, "")
			script := tt.line
			if tt.next != "" {
				script += "\nhelp\n"
			}
			var out bytes.Buffer
			c := &console.Console{Workspace: d.Workspace(), Handler: d.Engine, In: strings.NewReader(script), Out: &out,
				As: "amy", Clock: clock, Location: time.UTC}
			c.As = console.PersonFor(tt.as)
			if err := c.Run(context.Background()); err != nil {
				t.Fatalf("Run: %v", err)
			}
			got := out.String()
			if !strings.Contains(got, tt.refusal) {
				t.Errorf("no polite refusal %q in:\n%.500s", tt.refusal, got)
			}
			if !strings.Contains(got, tt.next) {
				t.Errorf("the next line was not answered (%q):\n%.2000s", tt.next, got)
			}
			if len(got) > 64<<10 {
				t.Errorf("the output repeats the long line: %d bytes", len(got))
			}
		})
	}
}

// BenchmarkReadLongLine: reading a 2 MiB line through the terminal's
// reader keeps at most MaxLine of it.
func BenchmarkReadLongLine(b *testing.B) {
	line := strings.Repeat("x", 2<<20) + "\n"
	for b.Loop() {
		r := bufio.NewReaderSize(strings.NewReader(line), 64<<10)
		if _, err := console.ReadLine(r, console.MaxLine); err != nil {
			b.Fatal(err)
		}
	}
}
