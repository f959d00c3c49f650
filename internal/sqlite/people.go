package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/collabot/collabot/bot"
)

func (t *txn) PersonByIdentity(ctx context.Context, id bot.Identity) (bot.Person, bool, error) {
	var p bot.Person
	var lang string
	err := t.tx.QueryRowContext(ctx, `SELECT p.id, p.name, p.lang FROM identities i
		JOIN people p ON p.workspace = i.workspace AND p.id = i.person
		WHERE i.workspace = ? AND i.platform = ? AND i.platform_id = ?`, t.ws, id.Platform, id.ID).Scan(&p.ID, &p.Name, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Person{}, false, nil
	}
	if err != nil {
		return bot.Person{}, false, fmt.Errorf("sqlite: find %s:%s: %w", id.Platform, id.ID, err)
	}
	p.Lang, p.Registered = bot.Lang(lang), true
	p.Identities, err = t.identities(ctx, p.ID)
	return p, err == nil, err
}

func (t *txn) identities(ctx context.Context, person bot.PersonID) ([]bot.Identity, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT platform, platform_id FROM identities
		WHERE workspace = ? AND person = ? ORDER BY platform`, t.ws, person)
	if err != nil {
		return nil, fmt.Errorf("sqlite: identities of %s: %w", person, err)
	}
	defer rows.Close()
	var out []bot.Identity
	for rows.Next() {
		var id bot.Identity
		if err := rows.Scan(&id.Platform, &id.ID); err != nil {
			return nil, fmt.Errorf("sqlite: identities of %s: %w", person, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RegisterPerson adds a person met on first contact. Two messages from a
// new person arriving at once both end with the same person: the first
// identity registered wins.
func (t *txn) RegisterPerson(ctx context.Context, p bot.Person) (bot.Person, error) {
	if err := t.writable(); err != nil {
		return bot.Person{}, err
	}
	if p.ID == "" || len(p.Identities) == 0 {
		return bot.Person{}, fmt.Errorf("sqlite: register person needs an id and an identity")
	}
	for _, id := range p.Identities {
		if known, ok, err := t.PersonByIdentity(ctx, id); err != nil || ok {
			return known, err
		}
	}
	// seq is the workspace's next people version; writers are serialised
	// (BEGIN IMMEDIATE), so max+1 is taken once.
	t.people.known = false
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO people (workspace, id, name, lang, at, seq)
		VALUES (?, ?, ?, ?, ?, 1 + coalesce((SELECT max(seq) FROM people WHERE workspace = ?), 0))`,
		t.ws, p.ID, p.Name, string(p.Lang), stamp(t.now()), t.ws); err != nil {
		return bot.Person{}, fmt.Errorf("sqlite: register %s: %w", p.ID, err)
	}
	for _, id := range p.Identities {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO identities (workspace, platform, platform_id, person) VALUES (?, ?, ?, ?)`,
			t.ws, id.Platform, id.ID, p.ID); err != nil {
			return bot.Person{}, fmt.Errorf("sqlite: register %s: %w", p.ID, err)
		}
	}
	p.Registered = true
	return p, nil
}

func (t *txn) People(ctx context.Context) ([]bot.Person, error) {
	people, _, err := t.PeopleSince(ctx, 0)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(people, func(a, b bot.Person) int { return cmp.Compare(a.ID, b.ID) })
	return people, nil
}

// PeopleSince reads the people version from the index on (workspace,
// seq) and, when it moved, those registered since with their identities
// in one query (identities found by the index on person).
func (t *txn) PeopleSince(ctx context.Context, after int64) ([]bot.Person, int64, error) {
	var version int64
	if t.people.known { // read by SyncedSince just before
		version, t.people.known = t.people.version, false
	} else if err := t.tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM people WHERE workspace = ?`, t.ws).Scan(&version); err != nil {
		return nil, 0, fmt.Errorf("sqlite: people version: %w", err)
	}
	if version <= after {
		return nil, version, nil
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT p.id, p.name, p.lang, coalesce(i.platform, ''), coalesce(i.platform_id, '')
		FROM people p LEFT JOIN identities i ON i.workspace = p.workspace AND i.person = p.id
		WHERE p.workspace = ? AND p.seq > ? ORDER BY p.seq, i.platform`, t.ws, after)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: people: %w", err)
	}
	defer rows.Close()
	var out []bot.Person
	for rows.Next() {
		var p bot.Person
		var lang, platform, pid string
		if err := rows.Scan(&p.ID, &p.Name, &lang, &platform, &pid); err != nil {
			return nil, 0, fmt.Errorf("sqlite: people: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			p.Lang, p.Registered = bot.Lang(lang), true
			out = append(out, p)
		}
		if platform != "" {
			last := &out[len(out)-1]
			last.Identities = append(last.Identities, bot.Identity{Platform: bot.Platform(platform), ID: pid})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sqlite: people: %w", err)
	}
	return out, version, nil
}
