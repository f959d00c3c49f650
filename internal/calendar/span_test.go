package calendar_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/calendar"
)

func TestParseSpanAccepted(t *testing.T) {
	bd := func(n int) calendar.Span { return calendar.Span{N: n, Unit: calendar.BusinessDays} }
	bh := func(n int) calendar.Span { return calendar.Span{N: n, Unit: calendar.BusinessHours} }
	dur := func(d time.Duration) calendar.Span { return calendar.Span{Unit: calendar.Duration, D: d} }
	tests := []struct {
		in     string
		want   calendar.Span
		string string // canonical form
	}{
		{"1bd", bd(1), "1bd"},
		{"1 business day", bd(1), "1bd"},
		{"3 business days", bd(3), "3bd"},
		{"3 Business  Days", bd(3), "3bd"},
		{"  2BD ", bd(2), "2bd"},
		{"3个工作日", bd(3), "3bd"},
		{"3 个工作日", bd(3), "3bd"},
		{"5 workdays", bd(5), "5bd"},
		{"0bd", bd(0), "0bd"},
		{"2 business hours", bh(2), "2bh"},
		{"1 business hour", bh(1), "1bh"},
		{"2bh", bh(2), "2bh"},
		{"4个工作小时", bh(4), "4bh"},
		{"24h", dur(24 * time.Hour), "24h"},
		{"24h0m0s", dur(24 * time.Hour), "24h"},
		{"2h", dur(2 * time.Hour), "2h"},
		{"90m", dur(90 * time.Minute), "1h30m"},
		{"1h30m", dur(90 * time.Minute), "1h30m"},
		{"1.5h", dur(90 * time.Minute), "1h30m"},
		{"30 min", dur(30 * time.Minute), "30m"},
		{"45 minutes", dur(45 * time.Minute), "45m"},
		{"2 hours", dur(2 * time.Hour), "2h"},
		{"1.5 hours", dur(90 * time.Minute), "1h30m"},
		{"2小时", dur(2 * time.Hour), "2h"},
		{"10分钟", dur(10 * time.Minute), "10m"},
		{"3d", dur(72 * time.Hour), "72h"},
		{"3 days", dur(72 * time.Hour), "72h"},
		{"1 day", dur(24 * time.Hour), "24h"},
		{"2天", dur(48 * time.Hour), "48h"},
		{"30s", dur(30 * time.Second), "30s"},
		{"1h0m30s", dur(time.Hour + 30*time.Second), "1h0m30s"},
		{"1500ms", dur(1500 * time.Millisecond), "1.5s"},
		{"0s", dur(0), "0s"},
		{"0", dur(0), "0s"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := calendar.ParseSpan(tt.in)
			if err != nil {
				t.Fatalf("ParseSpan(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseSpan(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.string {
				t.Errorf("String() = %q, want %q", s, tt.string)
			}
			back, err := calendar.ParseSpan(got.String())
			if err != nil || back != got {
				t.Errorf("round trip of %q: %+v, %v", got.String(), back, err)
			}
		})
	}
}

func TestParseSpanRefused(t *testing.T) {
	tests := []struct{ in, why string }{
		{"", "empty"},
		{"   ", "empty"},
		{"-1bd", "negative"},
		{"-2h", "negative"},
		{"- 3 days", "negative"},
		{"abc", "must start with a number"},
		{"bd", "must start with a number"},
		{"+1bd", "must start with a number"},
		{"12", "no unit"},
		{"1 fortnight", `unknown unit "fortnight"`},
		{"3 business", `unknown unit "business"`},
		{"1.5bd", "whole number"},
		{"1.5 days", "whole number"},
		{"1..5h", "not a number"},
		{"99999999999999999999bd", "whole number"},
		{"9999999999999bh", "too long"},
		{"999999999 days", "too long"},
		{"1bd2h", "unknown unit"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, err := calendar.ParseSpan(tt.in)
			if err == nil {
				t.Fatalf("ParseSpan(%q) = %+v, want error", tt.in, s)
			}
			msg := err.Error()
			for _, want := range []string{"calendar: invalid delay", `"` + tt.in + `"`, tt.why, "3 business days", "24h"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestSpanZeroAndUnit(t *testing.T) {
	var zero calendar.Span
	if !zero.IsZero() || zero.Unit != calendar.Duration || zero.String() != "0s" {
		t.Errorf("zero Span: IsZero=%v Unit=%v String=%q", zero.IsZero(), zero.Unit, zero.String())
	}
	if (calendar.Span{Unit: calendar.BusinessDays}).IsZero() {
		t.Error("0bd is not the zero Span: it still waits for the office to open")
	}
	for u, want := range map[calendar.Unit]string{
		calendar.Duration: "duration", calendar.BusinessDays: "business days",
		calendar.BusinessHours: "business hours", 9: "Unit(9)",
	} {
		if got := u.String(); got != want {
			t.Errorf("Unit(%d).String() = %q, want %q", int(u), got, want)
		}
	}
}

func TestSpanText(t *testing.T) {
	type config struct {
		Remind   calendar.Span `json:"remind"`
		Escalate calendar.Span `json:"escalate"`
		Wait     calendar.Span `json:"wait"`
	}
	var c config
	in := `{"remind":"3个工作日","escalate":"2 business hours","wait":"90m"}`
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	want := config{
		Remind:   calendar.Span{N: 3, Unit: calendar.BusinessDays},
		Escalate: calendar.Span{N: 2, Unit: calendar.BusinessHours},
		Wait:     calendar.Span{Unit: calendar.Duration, D: 90 * time.Minute},
	}
	if c != want {
		t.Fatalf("decoded %+v, want %+v", c, want)
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != `{"remind":"3bd","escalate":"2bh","wait":"1h30m"}` {
		t.Errorf("encoded %s", got)
	}

	err = json.Unmarshal([]byte(`{"remind":"soon"}`), &c)
	if err == nil || !strings.Contains(err.Error(), `"soon"`) {
		t.Errorf("decoding garbage: err = %v, want it to name the input", err)
	}

	for _, bad := range []calendar.Span{
		{N: -1, Unit: calendar.BusinessDays},
		{Unit: calendar.Duration, D: -time.Hour},
		{N: 1, Unit: 7},
	} {
		if b, err := bad.MarshalText(); err == nil {
			t.Errorf("MarshalText(%+v) = %q, want error", bad, b)
		}
	}
}
