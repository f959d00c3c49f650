package record

import (
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Series is the rule of a recurring meeting (例会) in the record: how
// often (周期), what a holiday does, when it ends, and the next meeting
// (下次会议) where the exporter knows the calendar.
type Series struct {
	Every     string    `json:"every"`              // daily | weekly
	Interval  int       `json:"interval,omitempty"` // weeks
	Weekday   string    `json:"weekday,omitempty"`  // Monday …
	Time      string    `json:"time"`               // 10:00
	Until     string    `json:"until,omitempty"`
	OnHoliday string    `json:"on_holiday"` // skip | move
	Ended     time.Time `json:"ended,omitzero"`
	Next      string    `json:"next,omitempty"` // M-3#2026-10-14
	NextStart time.Time `json:"next_start,omitzero"`
}

var seriesLabel = struct {
	Series, Rule, Holiday, Skip, Move, Ended, Next, Occurrence, Moved bot.Text
}{
	Series:     words.Text("record.label.series", nil),
	Rule:       words.Text("record.label.series_rule", nil),
	Holiday:    words.Text("record.label.series_holiday", nil),
	Skip:       words.Text("record.label.series_skip", nil),
	Move:       words.Text("record.label.series_move", nil),
	Ended:      words.Text("record.label.series_ended", nil),
	Next:       words.Text("record.label.series_next", nil),
	Occurrence: words.Text("record.label.series_occurrence", nil),
	Moved:      words.Text("record.label.series_moved", nil),
}

// seriesRows are a series' row (its rule) and one row per occurrence
// something happened to, in date order.
func seriesRows(m *bot.Meeting, p people, at func(time.Time) time.Time) []Meeting {
	row := meeting(m, p, at)
	start := at(m.Start)
	r := m.Repeat
	row.Series = &Series{Every: string(r.Every), Interval: r.Interval, Time: start.Format("15:04"), Until: r.Until,
		OnHoliday: string(r.OnHoliday), Ended: at(r.Ended)}
	if r.Every == bot.RepeatWeekly {
		row.Series.Weekday = start.Weekday().String()
	}
	rows := []Meeting{row}
	for _, o := range sortedOccurrences(m) {
		or := meeting(o, p, at)
		or.ID, or.SeriesID, or.Occurrence = o.Ref(), m.ID.String(), o.On
		or.Moved = at(o.Start).Format(time.DateOnly) != o.On
		rows = append(rows, or)
	}
	return rows
}

func sortedOccurrences(m *bot.Meeting) []*bot.Meeting {
	out := append([]*bot.Meeting(nil), m.Occurrences...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].On < out[j-1].On; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// NoteNext fills in each series' next meeting (下次会议), which takes
// the workspace's calendar (holidays skip or move occurrences).
func (s *Sheet) NoteNext(c *bot.Collaboration, days bot.Days, now time.Time) {
	for i := range s.Meetings {
		row := &s.Meetings[i]
		if row.Series == nil || !row.Series.Ended.IsZero() {
			continue
		}
		id, err := bot.ParseMeetingID(row.ID)
		if err != nil {
			continue
		}
		m, err := c.Meeting(id)
		if err != nil {
			continue
		}
		if o := m.Upcoming(days, now); o != nil {
			row.Series.Next, row.Series.NextStart = o.Ref(), o.Start.In(days.Location()).Truncate(time.Second)
		}
	}
}

// Rule is the rule in words: "每周三 10:00" / "every Wednesday at 10:00".
func (sr *Series) Rule(lang bot.Lang) string { return sr.ruleText(lang) }

func (sr *Series) ruleText(lang bot.Lang) string {
	a := words.Args{"time": sr.Time, "n": sr.Interval, "until": sr.Until}
	if sr.Weekday != "" {
		a["weekday"] = words.Text("weekday."+strings.ToLower(sr.Weekday), nil)
	}
	key := "series.rule.daily"
	switch {
	case sr.Every == string(bot.RepeatWeekly) && sr.Interval > 1:
		key = "series.rule.every_n_weeks"
	case sr.Every == string(bot.RepeatWeekly):
		key = "series.rule.weekly"
	}
	t := words.Get(lang, key, a)
	if sr.Until != "" {
		t += words.Get(lang, "series.rule.until", a)
	}
	return t
}

func (sr *Series) holidayText() bot.Text {
	if sr.OnHoliday == string(bot.HolidayMove) {
		return seriesLabel.Move
	}
	return seriesLabel.Skip
}

// seriesFields are the label/value pairs a series row adds.
func (sr *Series) fields(lang bot.Lang) [][2]string {
	out := [][2]string{{seriesLabel.Rule.In(lang), sr.ruleText(lang)}, {seriesLabel.Holiday.In(lang), sr.holidayText().In(lang)}}
	if !sr.Ended.IsZero() {
		out = append(out, [2]string{seriesLabel.Ended.In(lang), when(sr.Ended)})
	}
	if sr.Next != "" {
		out = append(out, [2]string{seriesLabel.Next.In(lang), sr.Next + " · " + when(sr.NextStart)})
	}
	return out
}
