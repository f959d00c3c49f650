package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/collabot/collabot/bot"
)

// Synced reads what the store knows of the platforms' directories, gone
// accounts and departments included, and its version (0 before the
// first sync).
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

// SaveSynced writes what the platforms answered now (read, one platform
// or several) over what the store knew of them, in one transaction, and
// returns what changed. Accounts and departments of those platforms that
// read no longer lists are marked gone, never deleted. A sync that
// changes nothing writes nothing but its time, and leaves the version
// alone, so running it again is harmless and makes no process rebuild
// its directory.
func (s *Store) SaveSynced(ctx context.Context, ws bot.Workspace, read bot.Synced) (bot.SyncDiff, error) {
	var diff bot.SyncDiff
	err := s.Apply(ctx, ws, "", func(tx bot.Tx) error {
		t := tx.(*txn)
		old, err := t.synced(ctx)
		if err != nil {
			return err
		}
		diff = bot.DiffSynced(old, read)
		now := stamp(t.now())
		if !diff.Empty() {
			if err := t.writeSynced(ctx, diff, now); err != nil {
				return err
			}
		}
		bump := 0
		if !diff.Empty() {
			bump = 1
		}
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO directory_versions (workspace, version, synced) VALUES (?, ?, ?)
			ON CONFLICT (workspace) DO UPDATE SET version = version + excluded.version, synced = excluded.synced`,
			t.ws, bump, now); err != nil {
			return fmt.Errorf("sqlite: directory version: %w", err)
		}
		return nil
	})
	return diff, err
}

func (t *txn) writeSynced(ctx context.Context, d bot.SyncDiff, now string) error {
	for _, list := range [][]bot.SyncedDepartment{d.AddedDepartments, d.ChangedDepartments, d.GoneDepartments} {
		for _, sd := range list {
			gone := ""
			if sd.Gone {
				gone = now
			}
			if _, err := t.tx.ExecContext(ctx, `INSERT INTO directory_departments (workspace, platform, platform_id, name, gone, at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, platform, platform_id)
				DO UPDATE SET name = excluded.name, gone = excluded.gone, at = excluded.at`,
				t.ws, sd.Platform, sd.ID, sd.Name, gone, now); err != nil {
				return fmt.Errorf("sqlite: save department %s: %w", sd.Key(), err)
			}
		}
	}
	for _, list := range [][]bot.SyncedPerson{d.Added, d.Changed, d.Gone} {
		for _, p := range list {
			gone := ""
			if p.Gone {
				gone = now
			}
			depts, _ := json.Marshal(nonNil(p.Departments)) // a list of strings always encodes
			leads, _ := json.Marshal(nonNil(p.Leads))
			if _, err := t.tx.ExecContext(ctx, `INSERT INTO directory_people (workspace, platform, platform_id, name, departments, leads, gone, at, email, mobile)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, platform, platform_id)
				DO UPDATE SET name = excluded.name, departments = excluded.departments, leads = excluded.leads,
				gone = excluded.gone, at = excluded.at, email = excluded.email, mobile = excluded.mobile`,
				t.ws, p.Account.Platform, p.Account.ID, p.Name, string(depts), string(leads), gone, now, p.Email, p.Mobile); err != nil {
				return fmt.Errorf("sqlite: save %s:%s: %w", p.Account.Platform, p.Account.ID, err)
			}
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SyncedSince implements the roster's synced reader (bot.Roster): the
// synced directory when its version moved past after. The people version
// comes in the same statement, kept for the PeopleSince that follows.
func (t *txn) SyncedSince(ctx context.Context, after int64) (*bot.Synced, int64, error) {
	var version int64
	err := t.tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(version), 0) FROM directory_versions WHERE workspace = ?1),
		(SELECT coalesce(max(seq), 0) FROM people WHERE workspace = ?1)`, t.ws).Scan(&version, &t.people.version)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: directory version: %w", err)
	}
	t.people.known = true
	if version <= after {
		return nil, version, nil
	}
	s, err := t.synced(ctx)
	if err != nil {
		return nil, 0, err
	}
	return &s, version, nil
}

func (t *txn) syncedVersion(ctx context.Context) (int64, error) {
	var v int64
	err := t.tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM directory_versions WHERE workspace = ?`, t.ws).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqlite: directory version: %w", err)
	}
	return v, nil
}

func (t *txn) synced(ctx context.Context) (bot.Synced, error) {
	var out bot.Synced
	rows, err := t.tx.QueryContext(ctx, `SELECT platform, platform_id, name, gone != '' FROM directory_departments
		WHERE workspace = ? ORDER BY platform, platform_id`, t.ws)
	if err != nil {
		return out, fmt.Errorf("sqlite: synced departments: %w", err)
	}
	for rows.Next() {
		var d bot.SyncedDepartment
		if err := rows.Scan(&d.Platform, &d.ID, &d.Name, &d.Gone); err != nil {
			rows.Close()
			return out, fmt.Errorf("sqlite: synced departments: %w", err)
		}
		out.Departments = append(out.Departments, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("sqlite: synced departments: %w", err)
	}
	rows, err = t.tx.QueryContext(ctx, `SELECT platform, platform_id, name, departments, leads, gone != '', email, mobile FROM directory_people
		WHERE workspace = ? ORDER BY platform, platform_id`, t.ws)
	if err != nil {
		return out, fmt.Errorf("sqlite: synced people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p bot.SyncedPerson
		var depts, leads string
		if err := rows.Scan(&p.Account.Platform, &p.Account.ID, &p.Name, &depts, &leads, &p.Gone, &p.Email, &p.Mobile); err != nil {
			return out, fmt.Errorf("sqlite: synced people: %w", err)
		}
		if err := json.Unmarshal([]byte(depts), &p.Departments); err != nil {
			return out, fmt.Errorf("sqlite: synced %s:%s departments: %w", p.Account.Platform, p.Account.ID, err)
		}
		if err := json.Unmarshal([]byte(leads), &p.Leads); err != nil {
			return out, fmt.Errorf("sqlite: synced %s:%s leads: %w", p.Account.Platform, p.Account.ID, err)
		}
		if len(p.Departments) == 0 {
			p.Departments = nil
		}
		if len(p.Leads) == 0 {
			p.Leads = nil
		}
		out.People = append(out.People, p)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("sqlite: synced people: %w", err)
	}
	return out, nil
}
