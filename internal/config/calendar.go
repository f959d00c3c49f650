package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/calendar"
)

// calendarFile is the format of configs/calendars/*.yaml: one region's
// public holidays and make-up working days for one year.
type calendarFile struct {
	Year     int            `yaml:"year"`
	Region   string         `yaml:"region"`
	Source   string         `yaml:"source"` // the official notice, so a reader can check the dates
	Holidays []holidayRange `yaml:"holidays"`
	Makeup   []makeupDay    `yaml:"makeup_workdays"`
}

type holidayRange struct {
	Name string `yaml:"name"`
	From string `yaml:"from"` // YYYY-MM-DD, inclusive
	To   string `yaml:"to"`   // YYYY-MM-DD, inclusive; empty for a single day
}

type makeupDay struct {
	Name string `yaml:"name"`
	Date string `yaml:"date"`
}

// calendarDays is a calendar file flattened to what calendar.Options takes.
type calendarDays struct {
	year     int
	holidays []calendar.Day
	makeup   []calendar.Day
}

// Calendar builds the business calendar: the configured week, working
// hours and time zone, and the holidays of the embedded calendars (unless
// calendar.embedded is false) and of calendar.files. Years lists the years
// a file covers, so the calendar can warn about deadlines outside them.
func (c *Config) Calendar(logger *slog.Logger) (*calendar.Calendar, error) {
	var files []calendarDays
	if c.Business.Embedded {
		names, err := fs.Glob(configs.FS, "calendars/*.yaml")
		if err != nil {
			return nil, fmt.Errorf("config: calendar: %w", err)
		}
		for _, name := range names {
			data, err := configs.FS.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("config: calendar: %w", err)
			}
			days, err := parseCalendarFile(name+" (embedded)", data)
			if err != nil {
				return nil, fmt.Errorf("config: calendar: %w", err)
			}
			files = append(files, days)
		}
	}
	for _, name := range c.Business.Files {
		days, err := readCalendarFile(name)
		if err != nil {
			return nil, fmt.Errorf("config: calendar: %w", err)
		}
		files = append(files, days)
	}

	opts := calendar.Options{
		Location:  c.Location(),
		WorkStart: c.Business.WorkHours.Start,
		WorkEnd:   c.Business.WorkHours.End,
		Logger:    logger,
	}
	for _, w := range c.Business.Workdays {
		if !slices.Contains(opts.Workdays, w.Day) {
			opts.Workdays = append(opts.Workdays, w.Day)
		}
	}
	for _, f := range files {
		opts.Holidays = append(opts.Holidays, f.holidays...)
		opts.Makeup = append(opts.Makeup, f.makeup...)
		if !slices.Contains(opts.Years, f.year) {
			opts.Years = append(opts.Years, f.year)
		}
	}
	slices.Sort(opts.Years)
	cal, err := calendar.New(opts)
	if err != nil {
		return nil, fmt.Errorf("config: calendar: %w", err)
	}
	return cal, nil
}

func readCalendarFile(name string) (calendarDays, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return calendarDays{}, err
	}
	return parseCalendarFile(name, data)
}

// parseCalendarFile checks a calendar file as strictly as the config: it
// is hand-copied from a government notice, where a typo moves a deadline.
func parseCalendarFile(name string, data []byte) (calendarDays, error) {
	var f calendarFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return calendarDays{}, &Error{File: name, Problems: yamlProblems(err)}
	}
	p := &problems{lines: lineIndex(data)}
	if f.Year < 1970 || f.Year > 9999 {
		p.add("year", fmt.Sprintf("%d is not a year", f.Year))
	}
	out := calendarDays{year: f.Year}
	holidays := map[string]bool{}
	date := func(key, s string) (time.Time, bool) {
		d, err := time.Parse(time.DateOnly, s)
		switch {
		case err != nil:
			p.add(key, fmt.Sprintf("%q is not a date like %d-10-01", s, f.Year))
			return d, false
		case d.Year() != f.Year:
			p.add(key, fmt.Sprintf("%s is not in %d", s, f.Year))
			return d, false
		}
		return d, true
	}
	for i, h := range f.Holidays {
		key := fmt.Sprintf("holidays[%d]", i)
		if h.Name == "" {
			p.add(key+".name", "a holiday needs a name")
		}
		if h.To == "" {
			h.To = h.From
		}
		from, ok1 := date(key+".from", h.From)
		to, ok2 := date(key+".to", h.To)
		if !ok1 || !ok2 {
			continue
		}
		if to.Before(from) {
			p.add(key, fmt.Sprintf("ends (%s) before it starts (%s)", h.To, h.From))
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			s := d.Format(time.DateOnly)
			holidays[s] = true
			out.holidays = append(out.holidays, calendar.Day{Date: s, Name: h.Name})
		}
	}
	for i, m := range f.Makeup {
		key := fmt.Sprintf("makeup_workdays[%d]", i)
		if m.Name == "" {
			p.add(key+".name", "a make-up working day needs a name")
		}
		if _, ok := date(key+".date", m.Date); !ok {
			continue
		}
		if holidays[m.Date] {
			p.add(key+".date", fmt.Sprintf("%s is also listed as a holiday", m.Date))
		}
		out.makeup = append(out.makeup, calendar.Day{Date: m.Date, Name: m.Name})
	}
	return out, p.err(name)
}
