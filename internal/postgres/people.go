package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

func (t *txn) PersonByIdentity(ctx context.Context, id bot.Identity) (bot.Person, bool, error) {
	var p bot.Person
	var lang string
	err := t.tx.QueryRow(ctx, `SELECT p.id, p.name, p.lang FROM identities i
		JOIN people p ON p.workspace = i.workspace AND p.id = i.person
		WHERE i.workspace = $1 AND i.platform = $2 AND i.platform_id = $3`, t.ws, text(string(id.Platform)), text(id.ID)).Scan(&p.ID, &p.Name, &lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.Person{}, false, nil
	}
	if err != nil {
		return bot.Person{}, false, fmt.Errorf("postgres: find %s:%s: %w", id.Platform, id.ID, err)
	}
	p.Lang, p.Registered = bot.Lang(lang), true
	p.Identities, err = t.identities(ctx, p.ID)
	return p, err == nil, err
}

func (t *txn) identities(ctx context.Context, person bot.PersonID) ([]bot.Identity, error) {
	rows, err := t.tx.Query(ctx, `SELECT platform, platform_id FROM identities
		WHERE workspace = $1 AND person = $2 ORDER BY platform COLLATE "C", platform_id COLLATE "C"`, t.ws, person)
	if err != nil {
		return nil, fmt.Errorf("postgres: identities of %s: %w", person, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.Identity, error) {
		var id bot.Identity
		err := row.Scan(&id.Platform, &id.ID)
		return id, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: identities of %s: %w", person, err)
	}
	return out, nil
}

// lockKey is the advisory lock key of a named thing in a workspace.
func lockKey(what string, ws bot.Workspace) int64 {
	h := fnv.New64a()
	h.Write([]byte(what))
	h.Write([]byte{0})
	h.Write([]byte(ws))
	return int64(h.Sum64())
}

// RegisterPerson adds a person met on first contact. Registrations in a
// workspace take turns on a transaction-scoped advisory lock, held to the
// commit: the one that waited then sees (READ COMMITTED: each statement
// sees what committed before it) whether its identity was registered
// meanwhile, so two messages from a new person arriving at two replicas
// at once both end with the person registered first, and seq (the people
// version, max+1) is taken once.
func (t *txn) RegisterPerson(ctx context.Context, p bot.Person) (bot.Person, error) {
	if err := t.writable(); err != nil {
		return bot.Person{}, err
	}
	if p.ID == "" || len(p.Identities) == 0 {
		return bot.Person{}, fmt.Errorf("postgres: register person needs an id and an identity")
	}
	if _, err := t.tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey("people", t.ws)); err != nil {
		return bot.Person{}, fmt.Errorf("postgres: register %s: %w", p.ID, err)
	}
	for _, id := range p.Identities {
		if known, ok, err := t.PersonByIdentity(ctx, id); err != nil || ok {
			return known, err
		}
	}
	if _, err := t.tx.Exec(ctx, `INSERT INTO people (workspace, id, name, lang, at, seq)
		VALUES ($1, $2, $3, $4, $5, 1 + coalesce((SELECT max(seq) FROM people WHERE workspace = $1), 0))`,
		t.ws, p.ID, text(p.Name), string(p.Lang), t.now()); err != nil {
		return bot.Person{}, fmt.Errorf("postgres: register %s: %w", p.ID, err)
	}
	for _, id := range p.Identities {
		if _, err := t.tx.Exec(ctx, `INSERT INTO identities (workspace, platform, platform_id, person) VALUES ($1, $2, $3, $4)`,
			t.ws, text(string(id.Platform)), text(id.ID), p.ID); err != nil {
			return bot.Person{}, fmt.Errorf("postgres: register %s: %w", p.ID, err)
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
// in one query.
func (t *txn) PeopleSince(ctx context.Context, after int64) ([]bot.Person, int64, error) {
	var version int64
	if err := t.tx.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM people WHERE workspace = $1`, t.ws).Scan(&version); err != nil {
		return nil, 0, fmt.Errorf("postgres: people version: %w", err)
	}
	if version <= after {
		return nil, version, nil
	}
	rows, err := t.tx.Query(ctx, `SELECT p.id, p.name, p.lang, coalesce(i.platform, ''), coalesce(i.platform_id, '')
		FROM people p LEFT JOIN identities i ON i.workspace = p.workspace AND i.person = p.id
		WHERE p.workspace = $1 AND p.seq > $2 ORDER BY p.seq, i.platform COLLATE "C", i.platform_id COLLATE "C"`, t.ws, after)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: people: %w", err)
	}
	var out []bot.Person
	var p bot.Person
	var lang, platform, pid string
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Name, &lang, &platform, &pid}, func() error {
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			out = append(out, bot.Person{ID: p.ID, Name: p.Name, Lang: bot.Lang(lang), Registered: true})
		}
		if platform != "" {
			last := &out[len(out)-1]
			last.Identities = append(last.Identities, bot.Identity{Platform: bot.Platform(platform), ID: pid})
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: people: %w", err)
	}
	return out, version, nil
}
