package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
)

// The counts of a page's collaborations (?2, a JSON array of ids), read
// from the indexes by collaboration alone: they hold every column
// counted (migration 0018).
const (
	// A task is overdue when it is open and due before now (?3;
	// bot.Task.Overdue); one due exactly now is not yet.
	countTasks = `SELECT collab,
			count(*) FILTER (WHERE status != 'cancelled'),
			count(*) FILTER (WHERE status = 'done'),
			count(*) FILTER (WHERE status NOT IN ('done', 'cancelled') AND due_unix < ?3),
			count(*) FILTER (WHERE status IN ('needs_help', 'blocked'))
		FROM tasks INDEXED BY tasks_by_collab WHERE workspace = ?1 AND collab IN (SELECT value FROM json_each(?2)) GROUP BY collab`
	countAcks = `SELECT collab, count(*) FROM acks INDEXED BY acks_by_collab
		WHERE workspace = ?1 AND collab IN (SELECT value FROM json_each(?2)) AND status != 'accepted' GROUP BY collab`
)

// Summaries counts from the board rows what Collaboration.Summarize
// counts from the document, so a list of thirty lines decodes no
// document: one query finds the collaborations (as Collaborations
// would, in its order), one counts their tasks and one their pending
// acknowledgements, each reading only the listed collaborations' rows.
// (Counting in the first query's result columns made SQLite count for
// every collaboration of a person before the limit applied.)
func (t *txn) Summaries(ctx context.Context, f bot.Filter, now time.Time) ([]bot.Summary, error) {
	q, args, err := t.listQuery(f, "c.id, c.topic, c.status")
	if err != nil {
		return nil, err
	}
	out, err := scanSummaries(t.tx.QueryContext(ctx, q, args...))
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := map[bot.CollabID]*bot.Summary{}
	ids := make([]bot.CollabID, len(out))
	for i := range out {
		at[out[i].ID], ids[i] = &out[i], out[i].ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list summaries: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, countTasks, t.ws, string(list), unixStamp(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: count tasks: %w", err)
	}
	err = eachRow(rows, func(scan func(...any) error) error {
		var id bot.CollabID
		var n bot.Summary
		if err := scan(&id, &n.Tasks, &n.Done, &n.Overdue, &n.NeedsHelp); err != nil {
			return err
		}
		s := at[id]
		s.Tasks, s.Done, s.Overdue, s.NeedsHelp = n.Tasks, n.Done, n.Overdue, n.NeedsHelp
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: count tasks: %w", err)
	}
	rows, err = t.tx.QueryContext(ctx, countAcks, t.ws, string(list))
	if err != nil {
		return nil, fmt.Errorf("sqlite: count acknowledgements: %w", err)
	}
	err = eachRow(rows, func(scan func(...any) error) error {
		var id bot.CollabID
		var n int
		if err := scan(&id, &n); err != nil {
			return err
		}
		at[id].PendingAcks = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: count acknowledgements: %w", err)
	}
	return out, nil
}

func scanSummaries(rows rowsScanner, err error) ([]bot.Summary, error) {
	if err != nil {
		return nil, fmt.Errorf("sqlite: list summaries: %w", err)
	}
	var out []bot.Summary
	err = eachRow(rows, func(scan func(...any) error) error {
		var s bot.Summary
		if err := scan(&s.ID, &s.Topic, &s.Status); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list summaries: %w", err)
	}
	return out, nil
}

// rowsScanner is what eachRow walks (*sql.Rows).
type rowsScanner interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

// eachRow calls fn with each row's Scan and closes rows.
func eachRow(rows rowsScanner, fn func(scan func(...any) error) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
