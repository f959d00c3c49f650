package engine

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestMeantAs: which words were typed as an identifier, valid or not.
func TestMeantAs(t *testing.T) {
	for _, tt := range []struct {
		kind bot.IDKind
		word string
		want bool
	}{
		{bot.KindCollab, "COL-l", true},
		{bot.KindCollab, "col-0", true},
		{bot.KindCollab, "COL--1", true},
		{bot.KindCollab, "COL－x", true}, // full-width dash
		{bot.KindCollab, "COL-١", true},
		{bot.KindCollab, "COL1.5", true},
		{bot.KindCollab, "COL١", true},
		{bot.KindCollab, "COL", false},
		{bot.KindCollab, "collabot", false},
		{bot.KindCollab, "T-1", false},
		{bot.KindMeeting, "M2M", false},
		{bot.KindTask, "Tuesday", false},
		{bot.KindTask, "T-l", true},
		{bot.KindRisk, "R&D", false},
	} {
		if got := meantAs(tt.kind, tt.word); got != tt.want {
			t.Errorf("meantAs(%s, %q) = %v, want %v", tt.kind, tt.word, got, tt.want)
		}
	}
}

// TestRefBefore: a reference with the text typed straight after it.
func TestRefBefore(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"COL-1，酒店协议价如何申请?", "COL-1"},
		{"COL-1,", "COL-1"},
		{"COL-12:which hotels?", "COL-12"},
		{"COL-1.", "COL-1"},
		{"COL-1.5", ""}, // mistyped, not COL-1
		{"COL-l,", ""},
		{"接口,COL-1", ""},
	} {
		if got, _ := refBefore(bot.KindCollab, tt.word); got != tt.want {
			t.Errorf("refBefore(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
