package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
	"github.com/jackc/pgx/v5"
)

// Half-filled forms and what people chose for themselves.

func (t *txn) Dialog(ctx context.Context, k bot.DialogKey) ([]byte, bool, error) {
	var state []byte
	err := t.tx.QueryRow(ctx, `SELECT state FROM dialogs WHERE workspace = $1 AND channel = $2 AND person = $3`,
		t.ws, text(k.Channel), text(string(k.Person))).Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("postgres: dialog of %s in %s: %w", k.Person, k.Channel, err)
	}
	return state, true, nil
}

func (t *txn) SaveDialog(ctx context.Context, k bot.DialogKey, state []byte) error {
	if err := t.writable(); err != nil {
		return err
	}
	// Handed over as text to a json column, which checks it is JSON (as
	// SQLite's CHECK does) and keeps its bytes, \u0000 escapes included.
	_, err := t.tx.Exec(ctx, `INSERT INTO dialogs (workspace, channel, person, state, updated_at) VALUES ($1, $2, $3, $4::text::json, $5)
		ON CONFLICT (workspace, channel, person) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		t.ws, text(k.Channel), text(string(k.Person)), string(state), t.now())
	if err != nil {
		return fmt.Errorf("postgres: save dialog of %s in %s: %w", k.Person, k.Channel, err)
	}
	return nil
}

func (t *txn) EndDialog(ctx context.Context, k bot.DialogKey) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `DELETE FROM dialogs WHERE workspace = $1 AND channel = $2 AND person = $3`,
		t.ws, text(k.Channel), text(string(k.Person)))
	if err != nil {
		return fmt.Errorf("postgres: end dialog of %s in %s: %w", k.Person, k.Channel, err)
	}
	return nil
}

const settingsCols = `lang, department, snooze_until, leave, quiet`

func (t *txn) Settings(ctx context.Context, p bot.PersonID) (bot.Settings, error) {
	row := t.tx.QueryRow(ctx, `SELECT `+settingsCols+` FROM person_settings WHERE workspace = $1 AND person = $2`, t.ws, p)
	s, err := scanSettings(row.Scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.Settings{}, nil
	}
	if err != nil {
		return s, fmt.Errorf("postgres: settings of %s: %w", p, err)
	}
	return s, nil
}

func scanSettings(scan func(...any) error, extra ...any) (bot.Settings, error) {
	var lang, department, quiet string
	var snooze *time.Time
	var leave []byte
	if err := scan(append(extra, &lang, &department, &snooze, &leave, &quiet)...); err != nil {
		return bot.Settings{}, err
	}
	return store.DecodeSettings(lang, department, quiet, utc(snooze), leave)
}

func (t *txn) AllSettings(ctx context.Context) (map[bot.PersonID]bot.Settings, error) {
	rows, err := t.tx.Query(ctx, `SELECT person, `+settingsCols+` FROM person_settings WHERE workspace = $1`, t.ws)
	if err != nil {
		return nil, fmt.Errorf("postgres: settings: %w", err)
	}
	defer rows.Close()
	out := map[bot.PersonID]bot.Settings{}
	for rows.Next() {
		var p bot.PersonID
		s, err := scanSettings(rows.Scan, &p)
		if err != nil {
			return nil, fmt.Errorf("postgres: settings: %w", err)
		}
		out[p] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: settings: %w", err)
	}
	return out, nil
}

func (t *txn) SaveSettings(ctx context.Context, p bot.PersonID, s bot.Settings) error {
	if err := t.writable(); err != nil {
		return err
	}
	leave, err := json.Marshal(s.Leave)
	if err != nil {
		return fmt.Errorf("postgres: encode leave: %w", err)
	}
	if s.Leave == nil {
		leave = []byte("[]")
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO person_settings (workspace, person, lang, department, snooze_until, leave, quiet)
		VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7)
		ON CONFLICT (workspace, person) DO UPDATE SET lang = excluded.lang, department = excluded.department,
			snooze_until = excluded.snooze_until, leave = excluded.leave, quiet = excluded.quiet`,
		t.ws, p, string(s.Lang), text(s.Department), nullTime(s.SnoozeUntil), string(jsonbSafe(leave)), s.Quiet.String())
	if err != nil {
		return fmt.Errorf("postgres: save settings of %s: %w", p, err)
	}
	return nil
}
