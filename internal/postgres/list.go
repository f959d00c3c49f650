package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

// Collaborations reads only what it returns: the person's collaborations
// come from the participants index, a group's from its column, tasks'
// conditions from the tasks table, and the limit is the query's.
func (t *txn) Collaborations(ctx context.Context, f bot.Filter) ([]*bot.Collaboration, error) {
	q, args, err := t.listQuery(f, "c.body")
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list collaborations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*bot.Collaboration, error) {
		var body []byte
		if err := row.Scan(&body); err != nil {
			return nil, err
		}
		return decodeCollab(body)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list collaborations: %w", err)
	}
	return out, nil
}

// params numbers a query's arguments as they are added.
type params struct{ args []any }

// add appends v and returns its placeholder.
func (p *params) add(v any) string {
	p.args = append(p.args, v)
	return "$" + strconv.Itoa(len(p.args))
}

// listQuery is the query of the collaborations f keeps, in their order,
// selecting cols of collaborations c.
func (t *txn) listQuery(f bot.Filter, cols string) (string, []any, error) {
	if f.OpenTasks && f.Person == "" {
		return "", nil, fmt.Errorf("postgres: list collaborations: open tasks of nobody")
	}
	if f.Soonest && !f.OpenTasks {
		return "", nil, fmt.Errorf("postgres: list collaborations: soonest tasks of nobody")
	}
	p := &params{}
	ws := p.add(string(t.ws))
	q := `SELECT ` + cols + ` FROM collaborations c WHERE c.workspace = ` + ws
	order := ` ORDER BY c.id DESC`
	switch {
	case f.Soonest:
		// The person's open tasks by due date, from the partial index.
		q = `SELECT ` + cols + ` FROM (SELECT collab, min(due_unix) AS first FROM tasks
				WHERE workspace = ` + ws + ` AND owner = ` + p.add(text(string(f.Person))) + ` AND status NOT IN ('done', 'cancelled') GROUP BY collab) s
			JOIN collaborations c ON c.workspace = ` + ws + ` AND c.id = s.collab WHERE true`
		order = ` ORDER BY s.first, c.id DESC`
	case f.Person != "":
		in := `SELECT collab FROM participants WHERE workspace = ` + ws + ` AND person = ` + p.add(text(string(f.Person)))
		if f.OpenTasks {
			in += ` AND role = ` + p.add(string(bot.RoleOpenTask))
		}
		q += ` AND c.id IN (` + in + `)`
	}
	inDepts := func(depts []string) string {
		return `c.id IN (SELECT collab FROM collab_departments WHERE workspace = c.workspace AND department = ANY(` +
			p.add(texts(depts)) + `::text[]))`
	}
	if len(f.Departments) > 0 {
		q += ` AND ` + inDepts(f.Departments)
	}
	if f.Seen != nil {
		q += ` AND (c.id IN (SELECT collab FROM participants WHERE workspace = c.workspace AND person = ` + p.add(text(string(f.Seen.Person))) + `)`
		if len(f.Seen.Departments) > 0 {
			q += ` OR ` + inDepts(f.Seen.Departments)
		}
		q += `)`
	}
	if len(f.Status) > 0 {
		q += ` AND c.status = ANY(` + p.add(texts(f.Status)) + `::text[])`
	}
	if f.Group != "" {
		q += ` AND c.grp = ` + p.add(text(f.Group))
	}
	if f.Awaiting {
		q += ` AND c.awaits`
	}
	if f.Search != "" {
		id := f.SearchID()
		q += ` AND (c.id = ` + p.add(int64(id)) + ` OR strpos(lower(c.topic), lower(` + p.add(text(f.Search)) + `)) > 0)`
	}
	if !f.Overdue.IsZero() {
		q += ` AND EXISTS (SELECT 1 FROM tasks WHERE workspace = c.workspace AND collab = c.id
			AND status NOT IN ('done', 'cancelled') AND due_unix < ` + p.add(unixStamp(f.Overdue)) + `)`
	}
	if f.NeedsHelp {
		q += ` AND EXISTS (SELECT 1 FROM tasks WHERE workspace = c.workspace AND collab = c.id
			AND status IN ('needs_help', 'blocked'))`
	}
	if f.Before > 0 {
		q += ` AND c.id < ` + p.add(int64(f.Before))
	}
	q += order
	if f.Limit > 0 {
		q += ` LIMIT ` + p.add(f.Limit)
	}
	return q, p.args, nil
}

func (t *txn) Summaries(ctx context.Context, f bot.Filter, now time.Time) ([]bot.Summary, error) {
	q, args, err := t.listQuery(f, "c.id, c.topic, c.status")
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list summaries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.Summary, error) {
		var s bot.Summary
		err := row.Scan(&s.ID, &s.Topic, &s.Status)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list summaries: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	at := map[bot.CollabID]*bot.Summary{}
	ids := make([]int64, len(out))
	for i := range out {
		at[out[i].ID], ids[i] = &out[i], int64(out[i].ID)
	}
	// Both counts in one round trip.
	b := &pgx.Batch{}
	b.Queue(`SELECT collab,
			count(*) FILTER (WHERE status != 'cancelled'),
			count(*) FILTER (WHERE status = 'done'),
			count(*) FILTER (WHERE status NOT IN ('done', 'cancelled') AND due_unix < $3),
			count(*) FILTER (WHERE status IN ('needs_help', 'blocked'))
		FROM tasks WHERE workspace = $1 AND collab = ANY($2::bigint[]) GROUP BY collab`,
		t.ws, ids, unixStamp(now)).Query(func(rows pgx.Rows) error {
		var id bot.CollabID
		var n bot.Summary
		_, err := pgx.ForEachRow(rows, []any{&id, &n.Tasks, &n.Done, &n.Overdue, &n.NeedsHelp}, func() error {
			s := at[id]
			s.Tasks, s.Done, s.Overdue, s.NeedsHelp = n.Tasks, n.Done, n.Overdue, n.NeedsHelp
			return nil
		})
		return err
	})
	b.Queue(`SELECT collab, count(*) FROM acks
		WHERE workspace = $1 AND collab = ANY($2::bigint[]) AND status != 'accepted' GROUP BY collab`,
		t.ws, ids).Query(func(rows pgx.Rows) error {
		var id bot.CollabID
		var n int
		_, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error {
			at[id].PendingAcks = n
			return nil
		})
		return err
	})
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: count tasks and acknowledgements: %w", err)
	}
	return out, nil
}
