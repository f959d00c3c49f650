package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
)

// TestPanicInCommandRollsBack: a command that panics after it changed the
// transaction neither takes the process down nor records anything; the
// person is told, in their language, that nothing was recorded, and the
// next message is handled as usual.
func TestPanicInCommandRollsBack(t *testing.T) {
	for _, tt := range []struct {
		lang                 string
		ack, confirm, status string
		want                 string
	}{
		{"zh", ":as ben\n确认 COL-1 承接\n", "确认", "状态 COL-1\n", "本次操作未记录任何内容"},
		{"en", ":as ben\n:lang en\nack COL-1 accept\n", "confirm", "status COL-1\n", "nothing was recorded"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.fileRequest()
			before, _ := json.Marshal(h.collab(1))
			undo := engine.SetAfterCommand(func(m bot.Message) {
				if strings.TrimSpace(m.Text) == tt.confirm {
					panic("boom")
				}
			})
			out := h.chat(tt.ack + tt.confirm + "\n")
			undo()
			mustContain(t, out, tt.want)
			after, _ := json.Marshal(h.collab(1))
			if string(before) != string(after) {
				t.Errorf("the panicking command recorded something:\n%s\n%s", before, after)
			}
			if out := h.chat(tt.ack + tt.confirm + "\n"); strings.Contains(out, tt.want) {
				t.Errorf("after the panic:\n%s", out)
			}
			for _, a := range h.collab(1).Acks {
				if a.Contact == "ben" && a.Status == "" {
					t.Errorf("ack not recorded after the panic: %+v", a)
				}
			}
		})
	}
}
