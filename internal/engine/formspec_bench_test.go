package engine_test

import (
	"context"
	"testing"

	"github.com/collabot/collabot/bot"
)

// BenchmarkFormFor measures describing the form a command opens, which a
// Slack adapter does before it acknowledges the slash command or click
// (the modal must open while the trigger lives): a read transaction, the
// command's checks, the description. ack is an acknowledgement's form,
// whose checks load the collaboration.
func BenchmarkFormFor(b *testing.B) {
	ctx := context.Background()
	h := newHarness(b)
	h.fileRequest()
	for _, tt := range []struct{ name, as, text string }{
		{"new", "amy", "new"},
		{"ack", "ben", "ack COL-1 decline"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			m := bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "bench",
				From: bot.Identity{Platform: bot.Console, ID: tt.as}, Text: tt.text}
			for b.Loop() {
				if f, err := h.eng.FormFor(ctx, m); err != nil || f == nil {
					b.Fatal(f, err)
				}
			}
		})
	}
}
