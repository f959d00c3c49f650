package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
)

// DecodeSettings is a person's settings from the columns every store
// keeps them in: the quiet hours as typed ("22:00-08:00", "" for none),
// the leave as a JSON list; snoozeUntil is zero when not snoozed.
func DecodeSettings(lang, department, quiet string, snoozeUntil time.Time, leave []byte) (bot.Settings, error) {
	s := bot.Settings{Lang: bot.Lang(lang), Department: department, SnoozeUntil: snoozeUntil}
	if quiet != "" {
		q, err := bot.ParseQuietHours(quiet)
		if err != nil {
			return s, fmt.Errorf("decode quiet hours %q: %w", quiet, err)
		}
		s.Quiet = q
	}
	if err := json.Unmarshal(leave, &s.Leave); err != nil {
		return s, fmt.Errorf("decode leave: %w", err)
	}
	return s, nil
}
