package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// reachedStatuses are the statuses of collaborations the departments
// were asked in: their acknowledgements, tasks and risks count in the
// figures (the board rows' reached and counted columns).
var reachedStatuses = []bot.CollabStatus{bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting,
	bot.StatusRetrospective, bot.StatusArchived, bot.StatusCancelled}

// Save writes the collaboration if nobody else saved it since it was
// loaded (its version is unchanged), then everything kept beside it: its
// refs, index rows, board rows, pending timeline entries, notices and
// progress updates, and its next-due entry. The versioned write is one
// round trip; the rest go to the server as one batch.
//
// A lost race is never a failed statement (which would abort the
// transaction): the insert of a new collaboration does nothing on a
// taken key, the update matches no row of another version, and either
// is bot.ErrConflict.
func (t *txn) Save(ctx context.Context, c *bot.Collaboration) error {
	if err := t.writable(); err != nil {
		return err
	}
	if c.Workspace != t.ws {
		return fmt.Errorf("postgres: save %s of workspace %q in workspace %q", c.ID, c.Workspace, t.ws)
	}
	version := c.Version + 1
	saved := *c
	saved.Version = version
	body, err := json.Marshal(&saved)
	if err != nil {
		return fmt.Errorf("postgres: encode %s: %w", c.ID, err)
	}
	body = jsonbSafe(body)
	now := t.now()
	var tag pgconn.CommandTag
	if c.Version == 0 {
		tag, err = t.tx.Exec(ctx, `INSERT INTO collaborations
			(workspace, id, version, status, topic, requester, coordinator, due, created_at, updated_at, grp, awaits, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (workspace, id) DO NOTHING`,
			t.ws, c.ID, version, c.Status, text(c.Request.Topic), c.Requester, c.Coordinator, c.Request.Due,
			c.CreatedAt, now, c.Group, c.Awaits(), body)
	} else {
		tag, err = t.tx.Exec(ctx, `UPDATE collaborations SET version = $1, status = $2, topic = $3,
			coordinator = $4, due = $5, updated_at = $6, grp = $7, awaits = $8, body = $9
			WHERE workspace = $10 AND id = $11 AND version = $12`,
			version, c.Status, text(c.Request.Topic), c.Coordinator, c.Request.Due, now, c.Group, c.Awaits(), body, t.ws, c.ID, c.Version)
	}
	if err != nil {
		return fmt.Errorf("postgres: save %s: %w", c.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return bot.ErrConflict
	}
	b := &pgx.Batch{}
	var foreign error
	t.queueRefs(b, c, &foreign)
	t.queueIndexes(b, c)
	t.queueBoardRows(b, c)
	timeline, notices, progress := c.Pending()
	t.queueTimeline(b, c.ID, timeline)
	if _, err := t.queueNotices(b, notices); err != nil {
		return err
	}
	if err := t.queueProgress(b, c.ID, progress); err != nil {
		return err
	}
	// Saved means due at once for the scheduler (SQLite's trigger does
	// this there): an edit that moves a timer earlier is looked at by the
	// next scan, and no caller has to remember it.
	b.Queue(`INSERT INTO next_due (workspace, collab, due_at, version) VALUES ($1, $2, 0, 0)
		ON CONFLICT (workspace, collab) DO UPDATE SET due_at = 0, version = 0`, t.ws, c.ID)
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("postgres: save %s: %w", c.ID, err)
	}
	if foreign != nil {
		return foreign
	}
	c.Committed(version)
	return nil
}

// queueRefs records which collaboration owns each task, meeting and risk
// number, and looks for a number another collaboration owns already
// (then *foreign is bot.ErrConflict once the batch ran).
func (t *txn) queueRefs(b *pgx.Batch, c *bot.Collaboration, foreign *error) {
	var kinds []string
	var numbers []int64
	ref := func(kind bot.IDKind, n int64) { kinds, numbers = append(kinds, string(kind)), append(numbers, n) }
	for _, x := range c.Tasks {
		ref(bot.KindTask, int64(x.ID))
	}
	for _, x := range c.Meetings {
		ref(bot.KindMeeting, int64(x.ID))
	}
	for _, x := range c.Risks {
		ref(bot.KindRisk, int64(x.ID))
	}
	if len(kinds) == 0 {
		return
	}
	b.Queue(`INSERT INTO refs (workspace, kind, number, collab)
		SELECT $1, u.k, u.n, $2 FROM unnest($3::text[], $4::bigint[]) AS u(k, n) ON CONFLICT DO NOTHING`,
		t.ws, c.ID, kinds, numbers)
	b.Queue(`SELECT r.kind, r.number, r.collab FROM unnest($3::text[], $4::bigint[]) AS u(k, n)
		JOIN refs r ON r.workspace = $1 AND r.kind = u.k AND r.number = u.n WHERE r.collab <> $2 LIMIT 1`,
		t.ws, c.ID, kinds, numbers).QueryRow(func(row pgx.Row) error {
		var kind string
		var n, owner int64
		err := row.Scan(&kind, &n, &owner)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		*foreign = fmt.Errorf("postgres: %s-%d belongs to %s, not %s: %w", kind, n, bot.CollabID(owner), c.ID, bot.ErrConflict)
		return nil
	})
}

// queueIndexes makes the participants and collab_departments rows of the
// collaboration its Participations and Departments: one statement
// deletes the rows no longer true, one inserts the new ones, and neither
// writes anything when nothing changed.
func (t *txn) queueIndexes(b *pgx.Batch, c *bot.Collaboration) {
	var people, roles []string
	for _, p := range c.Participations() {
		people, roles = append(people, string(p.Person)), append(roles, string(p.Role))
	}
	var depts, droles []string
	for _, d := range c.Departments() {
		depts, droles = append(depts, d.Department), append(droles, string(d.Role))
	}
	for _, x := range []struct {
		table, key  string
		keys, roles []string
	}{{"participants", "person", people, roles}, {"collab_departments", "department", depts, droles}} {
		b.Queue(`DELETE FROM `+x.table+` WHERE workspace = $1 AND collab = $2 AND (`+x.key+`, role) NOT IN
			(SELECT * FROM unnest($3::text[], $4::text[]))`, t.ws, c.ID, x.keys, x.roles)
		if len(x.keys) > 0 {
			b.Queue(`INSERT INTO `+x.table+` (workspace, `+x.key+`, collab, role)
				SELECT $1, u.k, $2, u.r FROM unnest($3::text[], $4::text[]) AS u(k, r) ON CONFLICT DO NOTHING`,
				t.ws, c.ID, x.keys, x.roles)
		}
	}
}

// queueTimeline appends the entries, in their order.
func (t *txn) queueTimeline(b *pgx.Batch, id bot.CollabID, entries []bot.TimelineEntry) {
	if len(entries) == 0 {
		return
	}
	n := len(entries)
	at := make([]time.Time, n)
	actor, action, subject, note := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, e := range entries {
		at[i], actor[i], action[i], subject[i], note[i] = e.At, text(string(e.Actor)), text(e.Action), text(e.Subject), text(e.Note)
	}
	b.Queue(`INSERT INTO timeline (workspace, collab, at, actor, action, subject, note)
		SELECT $1, $2, u.at, u.actor, u.action, u.subject, u.note
		FROM unnest($3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
			AS u(at, actor, action, subject, note, i) ORDER BY u.i`,
		t.ws, id, at, actor, action, subject, note)
}

// queueProgress records the progress updates; a person's second update
// of a day replaces the first.
func (t *txn) queueProgress(b *pgx.Batch, id bot.CollabID, progress []bot.ProgressUpdate) error {
	if len(progress) == 0 {
		return nil
	}
	// One row per key in the statement (an upsert may not touch a row
	// twice): the last update of a person's day wins, as it would if
	// written one after the other.
	type key struct{ person, day string }
	last := map[key]int{}
	for i, p := range progress {
		last[key{string(p.Person), p.Day}] = i
	}
	var people, days, bodies []string
	var at []time.Time
	for i, p := range progress {
		if last[key{string(p.Person), p.Day}] != i {
			continue
		}
		body, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("postgres: encode progress: %w", err)
		}
		people, days, at, bodies = append(people, string(p.Person)), append(days, p.Day), append(at, p.At), append(bodies, string(jsonbSafe(body)))
	}
	b.Queue(`INSERT INTO progress (workspace, collab, person, day, at, body)
		SELECT $1, $2, u.person, u.day, u.at, u.body::jsonb
		FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::text[]) AS u(person, day, at, body)
		ON CONFLICT (workspace, collab, day, person) DO UPDATE SET at = excluded.at, body = excluded.body`,
		t.ws, id, people, days, at, bodies)
	return nil
}

// reached reports whether the collaboration reached its departments.
func reached(c *bot.Collaboration) bool { return slices.Contains(reachedStatuses, c.Status) }
