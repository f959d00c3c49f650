package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

func (t *txn) Dialog(ctx context.Context, k bot.DialogKey) ([]byte, bool, error) {
	var state string
	err := t.tx.QueryRowContext(ctx, `SELECT state FROM dialogs WHERE workspace = ? AND channel = ? AND person = ?`,
		t.ws, k.Channel, k.Person).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: dialog of %s in %s: %w", k.Person, k.Channel, err)
	}
	return []byte(state), true, nil
}

func (t *txn) SaveDialog(ctx context.Context, k bot.DialogKey, state []byte) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO dialogs (workspace, channel, person, state, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (workspace, channel, person) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		t.ws, k.Channel, k.Person, string(state), stamp(t.now()))
	if err != nil {
		return fmt.Errorf("sqlite: save dialog of %s in %s: %w", k.Person, k.Channel, err)
	}
	return nil
}

func (t *txn) EndDialog(ctx context.Context, k bot.DialogKey) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(ctx, `DELETE FROM dialogs WHERE workspace = ? AND channel = ? AND person = ?`,
		t.ws, k.Channel, k.Person)
	if err != nil {
		return fmt.Errorf("sqlite: end dialog of %s in %s: %w", k.Person, k.Channel, err)
	}
	return nil
}

func (t *txn) Settings(ctx context.Context, p bot.PersonID) (bot.Settings, error) {
	row := t.tx.QueryRowContext(ctx, `SELECT lang, department, snooze_until, leave, quiet FROM person_settings
		WHERE workspace = ? AND person = ?`, t.ws, p)
	s, err := scanSettings(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Settings{}, nil
	}
	if err != nil {
		return s, fmt.Errorf("sqlite: settings of %s: %w", p, err)
	}
	return s, nil
}

func scanSettings(scan func(...any) error, extra ...any) (bot.Settings, error) {
	var lang, department, snooze, leave, quiet string
	if err := scan(append(extra, &lang, &department, &snooze, &leave, &quiet)...); err != nil {
		return bot.Settings{}, err
	}
	var until time.Time
	if snooze != "" {
		var err error
		if until, err = unstamp(snooze); err != nil {
			return bot.Settings{}, err
		}
	}
	return store.DecodeSettings(lang, department, quiet, until, []byte(leave))
}

func (t *txn) AllSettings(ctx context.Context) (map[bot.PersonID]bot.Settings, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT person, lang, department, snooze_until, leave, quiet FROM person_settings
		WHERE workspace = ?`, t.ws)
	if err != nil {
		return nil, fmt.Errorf("sqlite: settings: %w", err)
	}
	defer rows.Close()
	out := map[bot.PersonID]bot.Settings{}
	for rows.Next() {
		var p bot.PersonID
		s, err := scanSettings(rows.Scan, &p)
		if err != nil {
			return nil, fmt.Errorf("sqlite: settings: %w", err)
		}
		out[p] = s
	}
	return out, rows.Err()
}

func (t *txn) SaveSettings(ctx context.Context, p bot.PersonID, s bot.Settings) error {
	if err := t.writable(); err != nil {
		return err
	}
	leave, err := json.Marshal(s.Leave)
	if err != nil {
		return fmt.Errorf("sqlite: encode leave: %w", err)
	}
	if s.Leave == nil {
		leave = []byte("[]")
	}
	snooze := ""
	if !s.SnoozeUntil.IsZero() {
		snooze = stamp(s.SnoozeUntil)
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO person_settings (workspace, person, lang, department, snooze_until, leave, quiet)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (workspace, person) DO UPDATE SET lang = excluded.lang, department = excluded.department,
			snooze_until = excluded.snooze_until, leave = excluded.leave, quiet = excluded.quiet`,
		t.ws, p, string(s.Lang), s.Department, snooze, string(leave), s.Quiet.String())
	if err != nil {
		return fmt.Errorf("sqlite: save settings of %s: %w", p, err)
	}
	return nil
}
