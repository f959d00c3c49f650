package bot_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

func TestQuietHours(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	night, _ := bot.ParseQuietHours("22:00-08:00")
	lunch, _ := bot.ParseQuietHours("12:00-13:30")
	for _, tc := range []struct {
		name string
		q    bot.QuietHours
		t    string
		want string // "" when not quiet
	}{
		{"evening part ends next morning", night, "2026-12-04 23:10", "2026-12-05 08:00"},
		{"start is quiet", night, "2026-12-04 22:00", "2026-12-05 08:00"},
		{"morning part ends today", night, "2026-12-05 07:59", "2026-12-05 08:00"},
		{"end is not quiet", night, "2026-12-05 08:00", ""},
		{"day time", night, "2026-12-05 15:00", ""},
		{"within a day", lunch, "2026-12-05 12:40", "2026-12-05 13:30"},
		{"before a daytime window", lunch, "2026-12-05 11:59", ""},
		{"unset", bot.QuietHours{}, "2026-12-05 03:00", ""},
	} {
		got := tc.q.Until(at(tc.t))
		if tc.want == "" {
			if !got.IsZero() {
				t.Errorf("%s: %s is quiet until %s, want not quiet", tc.name, tc.t, got)
			}
			continue
		}
		if !got.Equal(at(tc.want)) {
			t.Errorf("%s: quiet at %s until %s, want %s", tc.name, tc.t, got, tc.want)
		}
	}
}

func TestParseQuietHours(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"22:00-08:00", "22:00-08:00"},
		{"12:00-13:30", "12:00-13:30"},
		{"22:00-22:00", ""},
		{"25:00-08:00", ""},
		{"22:00", ""},
		{"22:00-08:0x", ""},
		{"", ""},
	} {
		q, err := bot.ParseQuietHours(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: got %v, want an error", tc.in, q)
			}
			continue
		}
		if err != nil || q.String() != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, q, err, tc.want)
		}
	}
}
