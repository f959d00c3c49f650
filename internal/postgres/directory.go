package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

// The directory synced from the platforms (store.Directory): rows are
// never deleted, a department or account a sync no longer finds is marked
// gone; the version grows with every sync that changed something.

func (s *Store) Synced(ctx context.Context, ws bot.Workspace) (bot.Synced, int64, error) {
	var out bot.Synced
	var version int64
	err := s.View(ctx, ws, func(tx bot.Tx) error {
		t := tx.(*txn)
		var err error
		if version, err = t.syncedVersion(ctx); err != nil {
			return err
		}
		out, err = t.synced(ctx)
		return err
	})
	return out, version, err
}

// SaveSynced stores what a sync read and returns how it differs. Syncs
// of a workspace take turns (an advisory lock to the commit), so two run
// at once from two hosts each compare with what the other wrote.
func (s *Store) SaveSynced(ctx context.Context, ws bot.Workspace, read bot.Synced) (bot.SyncDiff, error) {
	var diff bot.SyncDiff
	err := s.Apply(ctx, ws, "", func(tx bot.Tx) error {
		t := tx.(*txn)
		if _, err := t.tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey("directory", t.ws)); err != nil {
			return fmt.Errorf("postgres: directory lock: %w", err)
		}
		old, err := t.synced(ctx)
		if err != nil {
			return err
		}
		diff = bot.DiffSynced(old, read)
		now := t.now()
		bump := 0
		if !diff.Empty() {
			bump = 1
			if err := t.writeSynced(ctx, diff, now); err != nil {
				return err
			}
		}
		if _, err := t.tx.Exec(ctx, `INSERT INTO directory_versions (workspace, version, synced) VALUES ($1, $2, $3)
			ON CONFLICT (workspace) DO UPDATE SET version = directory_versions.version + excluded.version, synced = excluded.synced`,
			t.ws, bump, now); err != nil {
			return fmt.Errorf("postgres: directory version: %w", err)
		}
		return nil
	})
	return diff, err
}

func (t *txn) writeSynced(ctx context.Context, d bot.SyncDiff, now time.Time) error {
	b := &pgx.Batch{}
	gone := func(g bool) any {
		if g {
			return now
		}
		return nil
	}
	for _, list := range [][]bot.SyncedDepartment{d.AddedDepartments, d.ChangedDepartments, d.GoneDepartments} {
		for _, sd := range list {
			b.Queue(`INSERT INTO directory_departments (workspace, platform, platform_id, name, gone, at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace, platform, platform_id)
				DO UPDATE SET name = excluded.name, gone = excluded.gone, at = excluded.at`,
				t.ws, sd.Platform, sd.ID, text(sd.Name), gone(sd.Gone), now)
		}
	}
	for _, list := range [][]bot.SyncedPerson{d.Added, d.Changed, d.Gone} {
		for _, p := range list {
			depts, _ := json.Marshal(nonNil(p.Departments)) // a list of strings always encodes
			leads, _ := json.Marshal(nonNil(p.Leads))
			b.Queue(`INSERT INTO directory_people (workspace, platform, platform_id, name, departments, leads, gone, at, email, mobile)
				VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8, $9, $10) ON CONFLICT (workspace, platform, platform_id)
				DO UPDATE SET name = excluded.name, departments = excluded.departments, leads = excluded.leads,
				gone = excluded.gone, at = excluded.at, email = excluded.email, mobile = excluded.mobile`,
				t.ws, p.Account.Platform, p.Account.ID, text(p.Name), string(jsonbSafe(depts)), string(jsonbSafe(leads)), gone(p.Gone), now,
				text(p.Email), text(p.Mobile))
		}
	}
	if b.Len() == 0 {
		return nil
	}
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("postgres: save directory: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (t *txn) SyncedSince(ctx context.Context, after int64) (*bot.Synced, int64, error) {
	version, err := t.syncedVersion(ctx)
	if err != nil || version <= after {
		return nil, version, err
	}
	s, err := t.synced(ctx)
	if err != nil {
		return nil, 0, err
	}
	return &s, version, nil
}

func (t *txn) syncedVersion(ctx context.Context) (int64, error) {
	var v int64
	err := t.tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM directory_versions WHERE workspace = $1`, t.ws).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("postgres: directory version: %w", err)
	}
	return v, nil
}

// synced reads the stored directory in byte order of its keys (COLLATE
// "C"), as SQLite orders it, whatever the database's collation.
func (t *txn) synced(ctx context.Context) (bot.Synced, error) {
	var out bot.Synced
	rows, err := t.tx.Query(ctx, `SELECT platform, platform_id, name, gone IS NOT NULL FROM directory_departments
		WHERE workspace = $1 ORDER BY platform COLLATE "C", platform_id COLLATE "C"`, t.ws)
	if err != nil {
		return out, fmt.Errorf("postgres: synced departments: %w", err)
	}
	var d bot.SyncedDepartment
	if _, err := pgx.ForEachRow(rows, []any{&d.Platform, &d.ID, &d.Name, &d.Gone}, func() error {
		out.Departments = append(out.Departments, d)
		return nil
	}); err != nil {
		return out, fmt.Errorf("postgres: synced departments: %w", err)
	}
	rows, err = t.tx.Query(ctx, `SELECT platform, platform_id, name, departments, leads, gone IS NOT NULL, email, mobile FROM directory_people
		WHERE workspace = $1 ORDER BY platform COLLATE "C", platform_id COLLATE "C"`, t.ws)
	if err != nil {
		return out, fmt.Errorf("postgres: synced people: %w", err)
	}
	var p bot.SyncedPerson
	var depts, leads []byte
	if _, err := pgx.ForEachRow(rows, []any{&p.Account.Platform, &p.Account.ID, &p.Name, &depts, &leads, &p.Gone, &p.Email, &p.Mobile}, func() error {
		q := p
		q.Departments, q.Leads = nil, nil
		if err := json.Unmarshal(depts, &q.Departments); err != nil {
			return fmt.Errorf("%s:%s departments: %w", p.Account.Platform, p.Account.ID, err)
		}
		if err := json.Unmarshal(leads, &q.Leads); err != nil {
			return fmt.Errorf("%s:%s leads: %w", p.Account.Platform, p.Account.ID, err)
		}
		if len(q.Departments) == 0 {
			q.Departments = nil
		}
		if len(q.Leads) == 0 {
			q.Leads = nil
		}
		out.People = append(out.People, q)
		return nil
	}); err != nil {
		return out, fmt.Errorf("postgres: synced people: %w", err)
	}
	return out, nil
}
