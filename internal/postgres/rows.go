package postgres

import (
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The parts of a collaboration the web board lists and the figures count
// (tasks, acks, risks), as rows Save keeps equal to it, each table
// handed to the server as arrays (unnest): two statements a table
// whatever the number of rows, and only the rows that changed are
// written.

// queueBoardRows queues the statements that make the collaboration's
// board rows what it holds.
func (t *txn) queueBoardRows(b *pgx.Batch, c *bot.Collaboration) {
	r := reached(c)
	t.queueTasks(b, c, r)
	t.queueAcks(b, c, r)
	t.queueRisks(b, c, r)
}

func (t *txn) queueTasks(b *pgx.Batch, c *bot.Collaboration, reached bool) {
	var ids []int64
	var dept, owner, status []string
	var due, done []pgtype.Timestamptz
	var dueUnix []float64
	seen := map[int64]bool{}
	for _, x := range c.Tasks {
		if seen[int64(x.ID)] {
			continue // the first of a number wins, as the refs do
		}
		seen[int64(x.ID)] = true
		ids, dept, owner, status = append(ids, int64(x.ID)), append(dept, x.Department), append(owner, string(x.Owner)), append(status, string(x.Status))
		due, dueUnix, done = append(due, instant(x.Due)), append(dueUnix, unixStamp(x.Due)), append(done, instant(x.DoneAt))
	}
	b.Queue(`DELETE FROM tasks WHERE workspace = $1 AND collab = $2 AND NOT (task = ANY(coalesce($3::bigint[], '{}')))`, t.ws, c.ID, ids) // no ids is NULL to pgx: every row goes
	if len(ids) == 0 {
		return
	}
	b.Queue(`INSERT INTO tasks (workspace, task, collab, department, owner, status, due, due_unix, done_at, reached)
		SELECT $1, u.task, $2, u.department, u.owner, u.status, u.due, u.due_unix, u.done_at, $10
		FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::float8[], $9::timestamptz[])
			AS u(task, department, owner, status, due, due_unix, done_at)
		ON CONFLICT (workspace, task) DO UPDATE SET collab = excluded.collab, department = excluded.department,
			owner = excluded.owner, status = excluded.status, due = excluded.due, due_unix = excluded.due_unix,
			done_at = excluded.done_at, reached = excluded.reached
		WHERE (tasks.collab, tasks.department, tasks.owner, tasks.status, tasks.due, tasks.due_unix, tasks.done_at, tasks.reached)
			IS DISTINCT FROM (excluded.collab, excluded.department, excluded.owner, excluded.status, excluded.due,
				excluded.due_unix, excluded.done_at, excluded.reached)`,
		t.ws, c.ID, ids, dept, owner, status, due, dueUnix, done, reached)
}

func (t *txn) queueRisks(b *pgx.Batch, c *bot.Collaboration, reached bool) {
	var ids []int64
	var dept, severity, status []string
	seen := map[int64]bool{}
	for _, k := range c.Risks {
		if seen[int64(k.ID)] {
			continue
		}
		seen[int64(k.ID)] = true
		ids, dept, severity, status = append(ids, int64(k.ID)), append(dept, k.Department), append(severity, string(k.Severity)), append(status, string(k.Status))
	}
	b.Queue(`DELETE FROM risks WHERE workspace = $1 AND collab = $2 AND NOT (risk = ANY(coalesce($3::bigint[], '{}')))`, t.ws, c.ID, ids)
	if len(ids) == 0 {
		return
	}
	b.Queue(`INSERT INTO risks (workspace, risk, collab, department, severity, status, reached)
		SELECT $1, u.risk, $2, u.department, u.severity, u.status, $7
		FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS u(risk, department, severity, status)
		ON CONFLICT (workspace, risk) DO UPDATE SET collab = excluded.collab, department = excluded.department,
			severity = excluded.severity, status = excluded.status, reached = excluded.reached
		WHERE (risks.collab, risks.department, risks.severity, risks.status, risks.reached)
			IS DISTINCT FROM (excluded.collab, excluded.department, excluded.severity, excluded.status, excluded.reached)`,
		t.ws, c.ID, ids, dept, severity, status, reached)
}

// ackRow is the values of one acks row after workspace and collab.
type ackRow struct {
	dept, status string
	asked        time.Time
	at           time.Time
	counted      bool
}

// acksCols unnests the acks arrays $3…$8 as u.
const acksCols = `unnest($3::text[], $4::text[], $5::timestamptz[], $6::float8[], $7::timestamptz[], $8::bool[])
	AS u(department, status, asked_at, asked_unix, at, counted)`

// acksSame is an acks row a equal to u, NULLs included.
const acksSame = `(a.department, a.status, a.asked_at, a.asked_unix, a.at, a.counted)
	IS NOT DISTINCT FROM (u.department, u.status, u.asked_at, u.asked_unix, u.at, u.counted)`

// queueAcks keeps the acknowledgements' rows, which have no key: the
// rows not wanted exactly as they are go, the wanted ones not there
// come. Two equal rows (no domain rule makes them) would be one to those
// statements, so then every row is written again.
func (t *txn) queueAcks(b *pgx.Batch, c *bot.Collaboration, reached bool) {
	var dept, status []string
	var asked, at []pgtype.Timestamptz
	var askedUnix []float64
	var counted []bool
	seen := map[ackRow]bool{}
	dup := false
	for _, a := range c.Acks {
		// A cancelled collaboration keeps the answers its departments
		// gave and drops what was still pending.
		n := reached && !(c.Status == bot.StatusCancelled && a.Status == bot.AckPending)
		row := ackRow{a.Department, string(a.Status), micro(a.AskedAt), micro(a.At), n}
		dup = dup || seen[row]
		seen[row] = true
		dept, status = append(dept, a.Department), append(status, string(a.Status))
		asked, askedUnix, at, counted = append(asked, instant(a.AskedAt)), append(askedUnix, unixStamp(a.AskedAt)), append(at, instant(a.At)), append(counted, n)
	}
	args := []any{t.ws, c.ID, dept, status, asked, askedUnix, at, counted}
	if dup {
		b.Queue(`DELETE FROM acks WHERE workspace = $1 AND collab = $2`, t.ws, c.ID)
		b.Queue(`INSERT INTO acks (workspace, collab, department, status, asked_at, asked_unix, at, counted)
			SELECT $1, $2, u.* FROM `+acksCols, args...)
		return
	}
	b.Queue(`DELETE FROM acks a WHERE a.workspace = $1 AND a.collab = $2
		AND NOT EXISTS (SELECT 1 FROM `+acksCols+` WHERE `+acksSame+`)`, args...)
	if len(dept) == 0 {
		return
	}
	b.Queue(`INSERT INTO acks (workspace, collab, department, status, asked_at, asked_unix, at, counted)
		SELECT $1, $2, u.* FROM `+acksCols+`
		WHERE NOT EXISTS (SELECT 1 FROM acks a WHERE a.workspace = $1 AND a.collab = $2 AND `+acksSame+`)`, args...)
}

// instant is t as a nullable timestamptz: NULL for the zero instant.
func instant(t time.Time) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()}
}

// micro is t as the server keeps it (microseconds), for comparing.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// unixStamp is an instant in Unix seconds, for comparing and ordering; 0
// for none.
func unixStamp(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
