// Package forms holds the form templates (configs/templates/*.yaml) as
// data, and reads what people type into them, in Chinese and English, as
// forgivingly as is safe.
//
// Every answer is turned into a canonical string that Field.Parse reads
// back unchanged, because a dialog is stored between messages and may be
// resumed hours later: "明天" must already have become a date. The
// canonical forms, which Values' getters read, are:
//
//	text, longtext  the text, control characters removed, broadcasts defused
//	                (see text.go); text is one line
//	date, datetime  "2006-01-02 15:04" (TimeLayout) in the calendar's location;
//	                a date typed without a time is the end of the working day,
//	                or its start for a field that begins a period (begins)
//	duration        a Go duration without zero tails ("1h30m", "45m"), or for
//	                a business field a calendar.Span ("3bd", "4bh")
//	department(s)   directory names joined by ","
//	person, people  person ids joined by ","
//	choice          the choice's Value
//	number          a decimal integer
//	url             the link, scheme in lower case
//	list            items joined by "\n"
//	actions         "owner|what|2006-01-02 15:04" per line
//	deliverables    "name|version|quantity|link" per line (quantity ≥ 1)
//	statuses        "T-3|needs_help|note" per line
//	ref             "T-3"
//
// Dates and times are read in these forms (full-width digits and Chinese
// numerals too): 2026-03-08, 2026/3/8, 2026年3月8日, 3月8日, 3月8号, 3/8,
// 3-8, Mar 8, 8号; 今天, 明天, 后天, 大后天, today, tomorrow; 周五, 星期五,
// friday (the next one, today included), 本周五 (this week's), 下周五 and
// next friday (next week's); 3个工作日(内), in 3 business days, 3bd; 2天后,
// in 2 days, 2周后; 月底, end of month; and a time of day: 17:00, 5pm,
// 下午5点, 上午10点半, 3点一刻, 中午, noon, eod, 下班前. "3小时后" and "in 3
// hours" are exact moments. A year-less date already past this year is next
// year's; a time alone already past today is tomorrow's; 1 to 6 o'clock
// without 上午/am is afternoon. Whether a moment must be in the future is
// the domain's rule, not the parser's.
package forms
