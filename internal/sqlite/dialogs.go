package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/collabot/collabot/bot"
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
	var s bot.Settings
	var lang string
	err := t.tx.QueryRowContext(ctx, `SELECT lang, department FROM person_settings WHERE workspace = ? AND person = ?`,
		t.ws, p).Scan(&lang, &s.Department)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("sqlite: settings of %s: %w", p, err)
	}
	s.Lang = bot.Lang(lang)
	return s, nil
}

func (t *txn) SaveSettings(ctx context.Context, p bot.PersonID, s bot.Settings) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO person_settings (workspace, person, lang, department) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace, person) DO UPDATE SET lang = excluded.lang, department = excluded.department`,
		t.ws, p, string(s.Lang), s.Department)
	if err != nil {
		return fmt.Errorf("sqlite: save settings of %s: %w", p, err)
	}
	return nil
}
