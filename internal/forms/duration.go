package forms

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// maxDuration bounds a plain duration: past a year it is a typo.
const maxDuration = 366 * 24 * time.Hour

var (
	durPart = regexp.MustCompile(`(\d+(?:\.\d+)?)(个小时|小时|个钟头|钟头|hours|hour|hrs|hr|h|分钟|分|minutes|minute|mins|min|m|秒钟|秒|seconds|second|secs|sec|s|个自然日|天|days|day|d)`)
	durHalf = regexp.MustCompile(`^(?:(\d+)个)?半(?:个)?(?:小时|钟头)$`)
	durAnd  = strings.NewReplacer("and", "", ",", "", "又", "", "零", "")
)

var durUnits = map[string]time.Duration{
	"个小时": time.Hour, "小时": time.Hour, "个钟头": time.Hour, "钟头": time.Hour, "hours": time.Hour,
	"hour": time.Hour, "hrs": time.Hour, "hr": time.Hour, "h": time.Hour,
	"分钟": time.Minute, "分": time.Minute, "minutes": time.Minute, "minute": time.Minute,
	"mins": time.Minute, "min": time.Minute, "m": time.Minute,
	"秒钟": time.Second, "秒": time.Second, "seconds": time.Second, "second": time.Second,
	"secs": time.Second, "sec": time.Second, "s": time.Second,
	"个自然日": 24 * time.Hour, "天": 24 * time.Hour, "days": 24 * time.Hour, "day": 24 * time.Hour, "d": 24 * time.Hour,
}

func (f *Field) parseDuration(c Context, s string) (string, error) {
	n := typed(s)
	span, spanErr := calendar.ParseSpan(n)
	business := spanErr == nil && span.Unit != calendar.Duration
	if f.Business && business {
		if span.N <= 0 {
			return "", f.fail(bot.CodeInvalid, "refuse.answer.duration_zero", nil)
		}
		return span.String(), nil
	}
	d, ok := duration(n)
	if !ok {
		if business {
			return "", f.fail(bot.CodeInvalid, "refuse.answer.duration_not_business", nil)
		}
		return "", f.fail(bot.CodeInvalid, "refuse.answer.duration_unreadable", bot.Args{"value": quote(s)})
	}
	if d <= 0 || d > maxDuration {
		return "", f.fail(bot.CodeInvalid, "refuse.answer.duration_range", nil)
	}
	return calendar.Span{Unit: calendar.Duration, D: d}.String(), nil
}

// duration reads "1h", "90m", "1.5小时", "半小时", "1个半小时", "1小时30分",
// "2 hours", "45 min", "1 hour and 30 minutes".
func duration(n string) (time.Duration, bool) {
	n = durAnd.Replace(strings.ReplaceAll(n, " ", ""))
	if n == "" {
		return 0, false
	}
	if d, err := time.ParseDuration(n); err == nil {
		return d, true
	}
	if m := durHalf.FindStringSubmatch(n); m != nil {
		h := 0
		if m[1] != "" {
			h, _ = strconv.Atoi(m[1])
		}
		return time.Duration(h)*time.Hour + 30*time.Minute, true
	}
	half := false
	if rest, ok := strings.CutSuffix(n, "半"); ok { // 1小时半
		n, half = rest, true
	}
	var total time.Duration
	pos := 0
	for _, m := range durPart.FindAllStringSubmatchIndex(n, -1) {
		if m[0] != pos {
			return 0, false
		}
		pos = m[1]
		v, err := strconv.ParseFloat(n[m[2]:m[3]], 64)
		if err != nil {
			return 0, false
		}
		part := v * float64(durUnits[n[m[4]:m[5]]])
		if part > float64(maxDuration) { // before it can overflow; the caller refuses it
			return maxDuration + 1, true
		}
		if total += time.Duration(part); total > maxDuration {
			return total, true
		}
	}
	if pos != len(n) || pos == 0 {
		return 0, false
	}
	if half {
		if !strings.HasSuffix(n, "小时") && !strings.HasSuffix(n, "钟头") {
			return 0, false
		}
		total += 30 * time.Minute
	}
	return total, true
}
