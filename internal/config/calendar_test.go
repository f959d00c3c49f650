package config

import (
	"bytes"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/configs"
)

func TestEmbeddedCalendarsParse(t *testing.T) {
	names, err := fs.Glob(configs.FS, "calendars/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded calendars: %v %v", names, err)
	}
	for _, name := range names {
		data, err := configs.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		days, err := parseCalendarFile(name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if len(days.holidays) == 0 {
			t.Errorf("%s has no holidays", name)
		}
	}
}

func TestCalendarCN2026(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cal, err := c.Calendar(slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	loc := c.Location()
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(10 * time.Hour)
	}
	tests := []struct {
		date     string
		business bool
		holiday  string
	}{
		{"2026-01-01", false, "元旦 New Year's Day"},
		{"2026-01-04", true, ""}, // Sunday, make-up day
		{"2026-02-14", true, ""}, // Saturday, make-up day
		{"2026-02-16", false, "春节 Spring Festival"},
		{"2026-02-28", true, ""},
		{"2026-05-05", false, "劳动节 Labour Day"},
		{"2026-09-20", true, ""},
		{"2026-10-01", false, "国庆节 National Day"},
		{"2026-10-07", false, "国庆节 National Day"},
		{"2026-10-08", true, ""},
		{"2026-10-10", true, ""},
		{"2026-10-11", false, ""}, // an ordinary Sunday
	}
	for _, tt := range tests {
		if got := cal.IsBusinessDay(day(tt.date)); got != tt.business {
			t.Errorf("IsBusinessDay(%s) = %v, want %v", tt.date, got, tt.business)
		}
		if name, _ := cal.HolidayName(day(tt.date)); name != tt.holiday {
			t.Errorf("HolidayName(%s) = %q, want %q", tt.date, name, tt.holiday)
		}
	}
	// One business day after the last working day before National Day.
	due := cal.Add(day("2026-09-30"), c.Timers.Acknowledgement.After.Span)
	if want := day("2026-10-08"); !due.Equal(want) {
		t.Errorf("1bd after 2026-09-30 10:00 = %v, want %v", due, want)
	}
	if logs.Len() != 0 {
		t.Errorf("unexpected warnings for 2026: %s", logs.String())
	}
	cal.Add(day("2027-03-01"), c.Timers.Acknowledgement.After.Span)
	if !strings.Contains(logs.String(), "year=2027") {
		t.Errorf("no warning for a deadline in 2027 without a calendar file; logs: %q", logs.String())
	}
}

func TestCalendarExtraFilesAndEmbeddedSwitch(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "calendars"), 0o755); err != nil {
		t.Fatal(err)
	}
	company := `year: 2027
region: ACME
source: ACME HR notice
holidays:
  - {name: 公司日 Company Day, from: 2027-03-01}
makeup_workdays: []
`
	if err := os.WriteFile(filepath.Join(dir, "calendars", "acme-2027.yaml"), []byte(company), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		embedded bool
		date     string
		business bool
	}{
		{"extra file holiday", true, "2027-03-01", false},
		{"embedded still loaded", true, "2026-10-01", false},
		{"embedded off", false, "2026-10-01", true},
		{"extra file without embedded", false, "2027-03-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := "calendar:\n  files: [calendars/acme-2027.yaml]\n  embedded: " + map[bool]string{true: "true", false: "false"}[tt.embedded] + "\n"
			path := filepath.Join(dir, "collabot.yaml")
			if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path, env(nil))
			if err != nil {
				t.Fatal(err)
			}
			cal, err := c.Calendar(slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			d, _ := time.ParseInLocation(time.DateOnly, tt.date, c.Location())
			if got := cal.IsBusinessDay(d.Add(12 * time.Hour)); got != tt.business {
				t.Errorf("IsBusinessDay(%s) = %v, want %v", tt.date, got, tt.business)
			}
		})
	}
}

func TestCalendarFileErrors(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"bad date", "year: 2026\nholidays: [{name: x, from: 2026-13-01}]\n", []string{`cal.yaml:2: holidays[0].from: "2026-13-01" is not a date`}},
		{"wrong year", "year: 2026\nholidays: [{name: x, from: 2027-01-01}]\n", []string{`holidays[0].from: 2027-01-01 is not in 2026`}},
		{"backwards", "year: 2026\nholidays: [{name: x, from: 2026-05-05, to: 2026-05-01}]\n", []string{`holidays[0]: ends (2026-05-01) before it starts`}},
		{"no name", "year: 2026\nmakeup_workdays: [{date: 2026-05-09}]\n", []string{`makeup_workdays[0].name: a make-up working day needs a name`}},
		{"make-up on a holiday", "year: 2026\nholidays: [{name: x, from: 2026-05-01}]\nmakeup_workdays: [{name: y, date: 2026-05-01}]\n",
			[]string{`makeup_workdays[0].date: 2026-05-01 is also listed as a holiday`}},
		{"no year", "holidays: []\n", []string{`year: 0 is not a year`}},
		{"unknown key", "year: 2026\nholiday: []\n", []string{`:2: holiday: unknown key (known here: year, region, source, holidays, makeup_workdays)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := writeFile(t, "cal.yaml", tt.file)
			path := writeFile(t, "collabot.yaml", "calendar: {files: ["+cal+"]}\n")
			_, err := Load(path, env(nil))
			if err == nil {
				t.Fatal("Load accepted a bad calendar file")
			}
			for _, w := range append(tt.want, "calendar.files[0]", cal) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}
