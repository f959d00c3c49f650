package forms_test

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/forms"
)

// Now is Monday 2026-11-23 10:00; the working day ends at 18:00.
func TestDateAccepted(t *testing.T) {
	f := field(forms.TypeDate)
	for _, tt := range []struct{ in, want string }{
		// absolute
		{"2026-12-08", "2026-12-08 18:00"},
		{"2026-03-08", "2026-03-08 18:00"}, // a past date with a year stays: the domain refuses it
		{"2026-12-08 14:00", "2026-12-08 14:00"},
		{"2026/3/8", "2026-03-08 18:00"},
		{"2026.12.8", "2026-12-08 18:00"},
		{"2026年12月8日", "2026-12-08 18:00"},
		{"2026-12-01T09:30:00+08:00", "2026-12-01 09:30"},
		{"2026-12-01T01:30:00Z", "2026-12-01 09:30"},
		{"3月8日", "2027-03-08 18:00"},
		{"3月8号", "2027-03-08 18:00"},
		{"3月8", "2027-03-08 18:00"},
		{"3月8号 下午3点", "2027-03-08 15:00"},
		{"3月8日下午3点", "2027-03-08 15:00"},
		{"3/8", "2027-03-08 18:00"},
		{"3-8", "2027-03-08 18:00"},
		{"12/1", "2026-12-01 18:00"},
		{"12.1", "2026-12-01 18:00"},
		{"12.1前", "2026-12-01 18:00"},
		{"晚上12点", "2026-11-23 23:59"},
		{"明天晚上12点前", "2026-11-24 23:59"},
		{"3pm tomorrow", "2026-11-24 15:00"},
		{"Dec 1st 3pm", "2026-12-01 15:00"},
		{"12月1号下午三点半", "2026-12-01 15:30"},
		{"next monday 9am", "2026-11-30 09:00"},
		{"凌晨2点", "2026-11-24 02:00"},
		{"12:30am", "2026-11-24 00:30"},
		{"12月1日前", "2026-12-01 18:00"},
		{"截止12月1日", "2026-12-01 18:00"},
		{"１２月１日", "2026-12-01 18:00"},
		{"十二月一日", "2026-12-01 18:00"},
		{"11/23", "2026-11-23 18:00"}, // today is not in the past
		{"1/5", "2027-01-05 18:00"},
		{"8号", "2026-12-08 18:00"}, // the 8th has passed this month
		{"30号", "2026-11-30 18:00"},
		{"Dec 1", "2026-12-01 18:00"},
		{"december 1st", "2026-12-01 18:00"},
		{"1 Dec 2027", "2027-12-01 18:00"},
		{"by Dec 1, 2026", "2026-12-01 18:00"},
		// relative days
		{"今天", "2026-11-23 18:00"},
		{"today", "2026-11-23 18:00"},
		{"明天", "2026-11-24 18:00"},
		{"tomorrow", "2026-11-24 18:00"},
		{"后天", "2026-11-25 18:00"},
		{"大后天", "2026-11-26 18:00"},
		{"day after tomorrow", "2026-11-25 18:00"},
		{"周五", "2026-11-27 18:00"},
		{"本周五", "2026-11-27 18:00"},
		{"这周五", "2026-11-27 18:00"},
		{"星期五", "2026-11-27 18:00"},
		{"礼拜天", "2026-11-29 18:00"},
		{"周日", "2026-11-29 18:00"},
		{"周一", "2026-11-23 18:00"},
		{"下周五", "2026-12-04 18:00"},
		{"下周一", "2026-11-30 18:00"},
		{"下下周一", "2026-12-07 18:00"},
		{"下周五前", "2026-12-04 18:00"},
		{"friday", "2026-11-27 18:00"},
		{"Fri", "2026-11-27 18:00"},
		{"this friday", "2026-11-27 18:00"},
		{"next friday", "2026-12-04 18:00"},
		{"on Wednesday", "2026-11-25 18:00"},
		{"in 3 business days", "2026-11-26 18:00"},
		{"3个工作日内", "2026-11-26 18:00"},
		{"3个工作日", "2026-11-26 18:00"},
		{"三个工作日内", "2026-11-26 18:00"},
		{"3bd", "2026-11-26 18:00"},
		{"in 2 days", "2026-11-25 18:00"},
		{"in two days", "2026-11-25 18:00"},
		{"2天后", "2026-11-25 18:00"},
		{"两天内", "2026-11-25 18:00"},
		{"2周后", "2026-12-07 18:00"},
		{"in 1 week", "2026-11-30 18:00"},
		{"月底", "2026-11-30 18:00"},
		{"end of month", "2026-11-30 18:00"},
		{"下月底", "2026-12-31 18:00"},
		// exact moments
		{"in 3 hours", "2026-11-23 13:00"},
		{"3小时后", "2026-11-23 13:00"},
		{"3小时内", "2026-11-23 13:00"},
		{"半小时后", "2026-11-23 10:30"},
		{"in 45 minutes", "2026-11-23 10:45"},
		{"1.5 hours", "2026-11-23 11:30"},
		// times of day, today or (when past) tomorrow
		{"17:00", "2026-11-23 17:00"},
		{"17：00", "2026-11-23 17:00"},
		{"5pm", "2026-11-23 17:00"},
		{"5 pm", "2026-11-23 17:00"},
		{"5:30 p.m.", "2026-11-23 17:30"},
		{"下午5点", "2026-11-23 17:00"},
		{"下午五点", "2026-11-23 17:00"},
		{"上午10点半", "2026-11-23 10:30"},
		{"3点一刻", "2026-11-23 15:15"},
		{"3点", "2026-11-23 15:00"}, // 1–6 o'clock without a marker is afternoon
		{"3:30", "2026-11-23 15:30"},
		{"03:30", "2026-11-24 03:30"}, // unless written as a 24-hour clock
		{"9:00", "2026-11-24 09:00"},  // already past today
		{"上午9点", "2026-11-24 09:00"},
		{"中午", "2026-11-23 12:00"},
		{"noon", "2026-11-23 12:00"},
		{"下班前", "2026-11-23 18:00"},
		{"今天下班前", "2026-11-23 18:00"},
		{"12am", "2026-11-24 00:00"},
		// both
		{"tomorrow 17:00", "2026-11-24 17:00"},
		{"tomorrow 5pm", "2026-11-24 17:00"},
		{"tomorrow at 5pm", "2026-11-24 17:00"},
		{"明天下午3点", "2026-11-24 15:00"},
		{"明天 3点", "2026-11-24 15:00"},
		{"明天早上7点", "2026-11-24 07:00"},
		{"明天晚上8点", "2026-11-24 20:00"},
		{"明天中午", "2026-11-24 12:00"},
		{"明天 eod", "2026-11-24 18:00"},
		{"friday 10am", "2026-11-27 10:00"},
		{"周五 10:00", "2026-11-27 10:00"},
		{"下周三上午10点", "2026-12-02 10:00"},
		{"12/1 14:30", "2026-12-01 14:30"},
		{"2026-12-01 14:00:00", "2026-12-01 14:00"},
		{"  明天  ", "2026-11-24 18:00"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.want)
	}
}

func TestDateRefused(t *testing.T) {
	f := field(forms.TypeDate)
	for _, tt := range []struct{ in, hint string }{
		{"2月30日", "不存在"},
		{"31号", "“31号”这个日期不存在"},
		{"2026-02-30", "not a real date"},
		{"13/45", "不存在"},
		{"2/29", "不存在"}, // neither 2026 nor 2027 has one
		{"0/5", "不存在"},
		{"25:00", "不是有效的时间"},
		{"13pm", "not a valid time"},
		{"下午", "看不懂"},
		{"next week", "cannot read"},
		{"sometime soon", "cannot read"},
		{"3天前", "看不懂"}, // three days ago
		{"明天 10:00 11:00", "一个时间"},
		{"5pm 6pm", "two times"},
		{"9999-01-01", "不合理"},
		{"in 0 hours", "看不懂"},
		{"明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天明天", "看不懂"},
	} {
		refuses(t, ctx(t), f, tt.in, bot.CodeInvalid, tt.hint, "2026-12-01")
	}
	f.Required = true
	refuses(t, ctx(t), f, "  ", bot.CodeRequired, "必填")
}

func TestDateTimeNeedsAClock(t *testing.T) {
	f := templateField(t, "meeting", "start")
	for _, tt := range []struct{ in, want string }{
		{"明天下午3点", "2026-11-24 15:00"},
		{"周三 10:00", "2026-11-25 10:00"},
		{"wednesday 10am", "2026-11-25 10:00"},
		{"in 3 hours", "2026-11-23 13:00"},
		{"2026-12-01 09:30", "2026-12-01 09:30"},
		{"15:00", "2026-11-23 15:00"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.want)
	}
	for _, in := range []string{"明天", "2026-12-01", "下周五", "3个工作日内", "in 2 days"} {
		refuses(t, ctx(t), f, in, bot.CodeInvalid, "还缺具体时间", "time of day", "明天下午3点")
	}
}

// A date without a year is the next such date: in December 12/1 is today,
// in November 1/5 is next year's, after 12/1 it is next year's.
func TestDateYearRolls(t *testing.T) {
	f := field(forms.TypeDate)
	for _, tt := range []struct {
		now     time.Time
		in, out string
	}{
		{time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai), "12/1", "2026-12-01 18:00"},
		{time.Date(2026, 11, 10, 9, 0, 0, 0, shanghai), "1/5", "2027-01-05 18:00"},
		{time.Date(2026, 12, 15, 9, 0, 0, 0, shanghai), "12/1", "2027-12-01 18:00"},
		{time.Date(2026, 12, 15, 9, 0, 0, 0, shanghai), "3号", "2027-01-03 18:00"},
		{time.Date(2026, 12, 31, 20, 0, 0, 0, shanghai), "明天", "2027-01-01 18:00"},
		{time.Date(2026, 12, 31, 20, 0, 0, 0, shanghai), "9:00", "2027-01-01 09:00"},
	} {
		accepts(t, at(t, tt.now), f, tt.in, tt.out)
	}
}

// Business days come from the calendar: Mid-Autumn (Sep 25–27) and
// National Day (Oct 1–7) are skipped, the make-up Sunday Sep 20 counts.
func TestDateBusinessDaysSkipHolidays(t *testing.T) {
	f := field(forms.TypeDate)
	for _, tt := range []struct {
		now     time.Time
		in, out string
	}{
		{time.Date(2026, 9, 24, 10, 0, 0, 0, shanghai), "3个工作日内", "2026-09-30 18:00"},
		{time.Date(2026, 9, 25, 10, 0, 0, 0, shanghai), "3个工作日内", "2026-10-08 18:00"},
		{time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai), "in 1 business day", "2026-10-08 18:00"},
		{time.Date(2026, 9, 19, 10, 0, 0, 0, shanghai), "1个工作日", "2026-09-21 18:00"},
	} {
		accepts(t, at(t, tt.now), f, tt.in, tt.out)
	}
}

// "End of the working day" is the calendar's, not a constant.
func TestDateEndsWithTheCalendarsDay(t *testing.T) {
	cal, err := calendar.New(calendar.Options{Location: shanghai, WorkStart: 9*time.Hour + 30*time.Minute,
		WorkEnd: 17*time.Hour + 30*time.Minute, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	c := ctx(t)
	c.Calendar = cal
	accepts(t, c, field(forms.TypeDate), "12/1", "2026-12-01 17:30")
	accepts(t, c, field(forms.TypeDate), "下班前", "2026-11-23 17:30")
}

// The canonical form is in the calendar's location whatever Now's is.
func TestDateUsesTheCalendarsLocation(t *testing.T) {
	c := at(t, monday.UTC())
	accepts(t, c, field(forms.TypeDate), "17:00", "2026-11-23 17:00")
	accepts(t, c, field(forms.TypeDate), "in 3 hours", "2026-11-23 13:00")
}

// A Context missing its calendar, directory or clock still reads answers.
func TestDateWithBareContext(t *testing.T) {
	got, err := field(forms.TypeDate).Parse(forms.Context{Now: monday}, "明天")
	if err != nil || got != "2026-11-24 18:00" {
		t.Errorf("bare context: %q, %v", got, err)
	}
	if got, err := field(forms.TypeDate).Parse(forms.Context{}, "2026-12-01"); err != nil || got != "2026-12-01 18:00" {
		t.Errorf("zero context: %q, %v", got, err)
	}
}

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when unreadable
	}{
		{"22:00", "22:00"}, {"8:30", "08:30"}, {"6点", "06:00"}, {"晚上10点", "22:00"}, {"早上7点半", "07:30"},
		{"10pm", "22:00"}, {"7am", "07:00"}, {"22", "22:00"}, {"0", "00:00"}, {"十点", "10:00"},
		{"24", ""}, {"25:00", ""}, {"明天 8点", ""}, {"eod", ""}, {"soon", ""}, {"", ""},
	} {
		d, ok := forms.ParseClock(tc.in)
		got := ""
		if ok {
			got = fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
		}
		if got != tc.want {
			t.Errorf("ParseClock(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
