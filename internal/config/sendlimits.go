package config

import (
	"fmt"
	"strconv"
	"strings"
)

// DingTalk's documented sending limits, the defaults of
// dingtalk.app_per_second and dingtalk.group_per_minute: an app calls
// each robot send API at most 20 times a second, and a robot sends at
// most 20 messages a minute to one group.
const (
	DefaultDingTalkAppPerSecond   = 20
	DefaultDingTalkGroupPerMinute = 20
)

// AppPerSecond is how many robot send calls a second DingTalk allows the
// app (dingtalk.app_per_second): the dispatcher paces all its DingTalk
// sends under it.
func (d DingTalkConfig) AppPerSecond() float64 {
	return orDefault(d.appPerSecond, DefaultDingTalkAppPerSecond)
}

// GroupPerMinute is how many messages a minute DingTalk takes to one
// group (dingtalk.group_per_minute).
func (d DingTalkConfig) GroupPerMinute() float64 {
	return orDefault(d.groupPerMinute, DefaultDingTalkGroupPerMinute)
}

func orDefault(v, def float64) float64 {
	if v > 0 {
		return v
	}
	return def
}

// validateLimits reads the sending limits' numbers.
func (d *DingTalkConfig) validateLimits(p *problems) {
	var err error
	if d.appPerSecond, err = parseRate(d.AppPerSecondText); err != nil {
		p.add("dingtalk.app_per_second", err.Error())
	}
	if d.groupPerMinute, err = parseRate(d.GroupPerMinuteText); err != nil {
		p.add("dingtalk.group_per_minute", err.Error())
	}
}

// parseRate reads a positive number of messages ("" is the default).
func parseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v > 1e6 {
		return 0, fmt.Errorf("%q is not a positive number of messages like 20", s)
	}
	return v, nil
}
