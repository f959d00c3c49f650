package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// txn is a bot.Tx: one transaction bound to one workspace.
type txn struct {
	tx       *stmtTx
	ws       bot.Workspace
	now      func() time.Time
	readOnly bool
	// people is the people version SyncedSince read in the same
	// statement as the synced one, for the PeopleSince the roster calls
	// next (one statement per message instead of two); a registration
	// forgets it.
	people struct {
		version int64
		known   bool
	}
}

var errReadOnly = fmt.Errorf("sqlite: %w", bot.ErrReadOnly)

func (t *txn) writable() error {
	if t.readOnly {
		return errReadOnly
	}
	return nil
}

func (t *txn) NextID(ctx context.Context, kind bot.IDKind) (int64, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	var n int64
	err := t.tx.QueryRowContext(ctx, `INSERT INTO sequences (workspace, kind, value) VALUES (?, ?, 1)
		ON CONFLICT (workspace, kind) DO UPDATE SET value = value + 1 RETURNING value`, t.ws, kind).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: next %s: %w", kind, err)
	}
	return n, nil
}

func (t *txn) Collaboration(ctx context.Context, id bot.CollabID) (*bot.Collaboration, error) {
	var body string
	err := t.tx.QueryRowContext(ctx, `SELECT body FROM collaborations WHERE workspace = ? AND id = ?`, t.ws, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Refuse(bot.CodeNotFound, "refuse.not_found", bot.Args{"ref": id.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: load %s: %w", id, err)
	}
	return decodeCollab(body)
}

func decodeCollab(body string) (*bot.Collaboration, error) {
	c := new(bot.Collaboration)
	if err := json.Unmarshal([]byte(body), c); err != nil {
		return nil, fmt.Errorf("sqlite: decode collaboration: %w", err)
	}
	return c, nil
}

func (t *txn) CollabOf(ctx context.Context, kind bot.IDKind, number int64) (bot.CollabID, error) {
	var id bot.CollabID
	err := t.tx.QueryRowContext(ctx, `SELECT collab FROM refs WHERE workspace = ? AND kind = ? AND number = ?`,
		t.ws, kind, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		ref := string(kind) + "-" + fmt.Sprint(number)
		return 0, bot.Refuse(bot.CodeNotFound, "refuse.not_found", bot.Args{"ref": ref})
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: find %s-%d: %w", kind, number, err)
	}
	return id, nil
}

// Save writes the collaboration if nobody else saved it since it was
// loaded (its version is unchanged), then its pending timeline entries,
// notices and progress updates, all in this transaction.
func (t *txn) Save(ctx context.Context, c *bot.Collaboration) error {
	if err := t.writable(); err != nil {
		return err
	}
	if c.Workspace != t.ws {
		return fmt.Errorf("sqlite: save %s of workspace %q in workspace %q", c.ID, c.Workspace, t.ws)
	}
	version := c.Version + 1
	saved := *c
	saved.Version = version
	body, err := json.Marshal(&saved)
	if err != nil {
		return fmt.Errorf("sqlite: encode %s: %w", c.ID, err)
	}
	now := stamp(t.now())
	if c.Version == 0 {
		_, err = t.tx.ExecContext(ctx, `INSERT INTO collaborations
			(workspace, id, version, status, topic, requester, coordinator, due, created_at, updated_at, grp, awaits, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ws, c.ID, version, c.Status, c.Request.Topic, c.Requester, c.Coordinator, stamp(c.Request.Due),
			stamp(c.CreatedAt), now, c.Group, c.Awaits(), string(body))
		if err != nil && strings.Contains(err.Error(), "UNIQUE") {
			return bot.ErrConflict
		}
	} else {
		var res sql.Result
		res, err = t.tx.ExecContext(ctx, `UPDATE collaborations SET version = ?, status = ?, topic = ?,
			coordinator = ?, due = ?, updated_at = ?, grp = ?, awaits = ?, body = ? WHERE workspace = ? AND id = ? AND version = ?`,
			version, c.Status, c.Request.Topic, c.Coordinator, stamp(c.Request.Due), now, c.Group, c.Awaits(), string(body), t.ws, c.ID, c.Version)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return bot.ErrConflict
			}
		}
	}
	if err != nil {
		return fmt.Errorf("sqlite: save %s: %w", c.ID, err)
	}
	w := jsonPool.Get().(*jsonRows)
	defer jsonPool.Put(w)
	if err := t.saveRefs(ctx, c, w); err != nil {
		return err
	}
	if err := t.saveParticipants(ctx, c, w); err != nil {
		return err
	}
	if err := t.saveRows(ctx, c, w); err != nil {
		return err
	}
	timeline, notices, progress := c.Pending()
	if err := t.saveTimeline(ctx, c.ID, timeline, w); err != nil {
		return err
	}
	if _, err := t.enqueue(ctx, notices, w); err != nil {
		return err
	}
	if err := t.saveProgress(ctx, c.ID, progress, w); err != nil {
		return err
	}
	c.Committed(version)
	return nil
}

// The statements a save writes its batches with (see jsonRows): ?3 (or
// ?2) is the batch.
const (
	refsInsert = `INSERT INTO refs (workspace, kind, number, collab)
		SELECT ?1, j.value ->> 0, j.value ->> 1, ?2 FROM json_each(?3) j WHERE true ON CONFLICT (workspace, kind, number) DO NOTHING`
	// CROSS JOIN keeps the batch the outer loop: each of its numbers
	// looked up by the primary key, never a walk of every ref.
	refsForeign = `SELECT r.kind, r.number, r.collab FROM json_each(?3) j
		CROSS JOIN refs r ON r.workspace = ?1 AND r.kind = j.value ->> 0 AND r.number = j.value ->> 1 WHERE r.collab != ?2 LIMIT 1`
	timelineInsert = `INSERT INTO timeline (workspace, collab, at, actor, action, subject, note)
		SELECT ?1, ?2, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4 FROM json_each(?3) j ORDER BY j.key`
	progressUpsert = `INSERT INTO progress (workspace, collab, person, day, at, body)
		SELECT ?1, ?2, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(?3) j ORDER BY j.key
		ON CONFLICT (workspace, collab, day, person) DO UPDATE SET at = excluded.at, body = excluded.body`
	outboxInsert = `INSERT INTO outbox (workspace, key, collab, recipient, kind, body, created_at, next_attempt)
		SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, ?2, j.value ->> 5
		FROM json_each(?3) j ORDER BY j.key ON CONFLICT (workspace, key) DO NOTHING`
)

// saveStatements are every statement Save may write, for the test that
// none of them walks a whole table.
func saveStatements() []string {
	out := []string{refsInsert, refsForeign, timelineInsert, progressUpsert, outboxInsert}
	for _, b := range boardStatements {
		out = append(out, b.del, b.ins, b.all)
	}
	for _, x := range indexStatements {
		out = append(out, x.del, x.ins)
	}
	return out
}

// jsonPool keeps the buffers saves write their batches in.
var jsonPool = sync.Pool{New: func() any { return new(jsonRows) }}

// saveTimeline appends the entries, in their order, in one statement.
func (t *txn) saveTimeline(ctx context.Context, id bot.CollabID, entries []bot.TimelineEntry, w *jsonRows) error {
	if len(entries) == 0 {
		return nil
	}
	w.reset()
	for _, e := range entries {
		w.open()
		w.str(stamp(e.At))
		w.str(string(e.Actor))
		w.str(e.Action)
		w.str(e.Subject)
		w.str(e.Note)
		w.close()
	}
	_, err := t.tx.ExecContext(ctx, timelineInsert,
		t.ws, id, w.String())
	if err != nil {
		return fmt.Errorf("sqlite: timeline of %s: %w", id, err)
	}
	return nil
}

// saveProgress records the progress updates in one statement; a
// person's second update of a day replaces the first.
func (t *txn) saveProgress(ctx context.Context, id bot.CollabID, progress []bot.ProgressUpdate, w *jsonRows) error {
	if len(progress) == 0 {
		return nil
	}
	w.reset()
	for _, p := range progress {
		b, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("sqlite: encode progress: %w", err)
		}
		w.open()
		w.str(string(p.Person))
		w.str(p.Day)
		w.str(stamp(p.At))
		w.str(string(b))
		w.close()
	}
	_, err := t.tx.ExecContext(ctx, progressUpsert,
		t.ws, id, w.String())
	if err != nil {
		return fmt.Errorf("sqlite: progress of %s: %w", id, err)
	}
	return nil
}

// saveRefs records which collaboration owns each task, meeting and risk
// number, and refuses a number another collaboration already uses: one
// statement inserts the numbers not yet recorded, one looks for any
// recorded for another collaboration.
func (t *txn) saveRefs(ctx context.Context, c *bot.Collaboration, w *jsonRows) error {
	w.reset()
	ref := func(kind bot.IDKind, n int64) {
		w.open()
		w.str(string(kind))
		w.int(n)
		w.close()
	}
	for _, x := range c.Tasks {
		ref(bot.KindTask, int64(x.ID))
	}
	for _, x := range c.Meetings {
		ref(bot.KindMeeting, int64(x.ID))
	}
	for _, x := range c.Risks {
		ref(bot.KindRisk, int64(x.ID))
	}
	if len(w.starts) == 0 {
		return nil
	}
	refs := w.String()
	if _, err := t.tx.ExecContext(ctx, refsInsert,
		t.ws, c.ID, refs); err != nil {
		return fmt.Errorf("sqlite: refs of %s: %w", c.ID, err)
	}
	var kind bot.IDKind
	var n int64
	var owner bot.CollabID
	err := t.tx.QueryRowContext(ctx, refsForeign,
		t.ws, c.ID, refs).Scan(&kind, &n, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: refs of %s: %w", c.ID, err)
	}
	return fmt.Errorf("sqlite: %s-%d belongs to %s, not %s: %w", kind, n, owner, c.ID, bot.ErrConflict)
}

// saveParticipants keeps the participants index equal to the
// collaboration's Participations and the departments index equal to its
// Departments.
func (t *txn) saveParticipants(ctx context.Context, c *bot.Collaboration, w *jsonRows) error {
	w.reset()
	for _, p := range c.Participations() {
		w.open()
		w.str(string(p.Person))
		w.str(string(p.Role))
		w.close()
	}
	if err := t.syncIndex(ctx, 0, c.ID, w.String()); err != nil {
		return err
	}
	w.reset()
	for _, d := range c.Departments() {
		w.open()
		w.str(d.Department)
		w.str(string(d.Role))
		w.close()
	}
	return t.syncIndex(ctx, 1, c.ID, w.String())
}

// indexStatements make the rows (key, role) of a collaboration in an
// index table exactly a JSON array of [key, role] (?3): one deletes those
// no longer true, one inserts the new ones, and neither writes anything
// when nothing changed.
var indexStatements = func() (out [2]struct{ table, del, ins string }) {
	for i, x := range [2][2]string{{"participants", "person"}, {"collab_departments", "department"}} {
		table, key := x[0], x[1]
		out[i].table = table
		out[i].del = `DELETE FROM ` + table + ` WHERE workspace = ?1 AND collab = ?2 AND (` + key +
			`, role) NOT IN (SELECT j.value ->> 0, j.value ->> 1 FROM json_each(?3) j)`
		out[i].ins = `INSERT INTO ` + table + ` (workspace, ` + key + `, collab, role)
			SELECT ?1, j.value ->> 0, ?2, j.value ->> 1 FROM json_each(?3) j WHERE true ON CONFLICT DO NOTHING`
	}
	return out
}()

func (t *txn) syncIndex(ctx context.Context, which int, id bot.CollabID, want string) error {
	s := indexStatements[which]
	for _, q := range []string{s.del, s.ins} {
		if _, err := t.tx.ExecContext(ctx, q, t.ws, id, want); err != nil {
			return fmt.Errorf("sqlite: %s of %s: %w", s.table, id, err)
		}
	}
	return nil
}

// Collaborations reads only what it returns: the person's collaborations
// come from the participants index, a group's from its column, tasks'
// conditions from the tasks table, and the limit is the query's, so no
// document is decoded to be thrown away.
func (t *txn) Collaborations(ctx context.Context, f bot.Filter) ([]*bot.Collaboration, error) {
	q, args, err := t.listQuery(f, "c.body")
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list collaborations: %w", err)
	}
	defer rows.Close()
	var out []*bot.Collaboration
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("sqlite: list collaborations: %w", err)
		}
		c, err := decodeCollab(body)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// listQuery is the query of the collaborations f keeps, in their order,
// selecting cols of collaborations c.
func (t *txn) listQuery(f bot.Filter, cols string) (string, []any, error) {
	q := `SELECT ` + cols + ` FROM collaborations c WHERE c.workspace = ?`
	args := []any{t.ws}
	order := ` ORDER BY c.id DESC`
	if f.OpenTasks && f.Person == "" {
		return "", nil, errors.New("sqlite: list collaborations: open tasks of nobody")
	}
	switch {
	case f.Soonest && !f.OpenTasks:
		return "", nil, errors.New("sqlite: list collaborations: soonest tasks of nobody")
	case f.Soonest:
		// The person's open tasks by due date, from the partial index.
		q = `SELECT ` + cols + ` FROM (SELECT collab, min(due_unix) AS first FROM tasks INDEXED BY tasks_open_by_owner
				WHERE workspace = ? AND owner = ? AND status NOT IN ('done', 'cancelled') GROUP BY collab) s
			JOIN collaborations c ON c.workspace = ? AND c.id = s.collab WHERE true`
		args = []any{t.ws, f.Person, t.ws}
		order = ` ORDER BY s.first, c.id DESC`
	case f.Person != "":
		// Walk the person's rows of the index newest first and stop at
		// the limit: a person in thousands of collaborations costs what
		// the page shows. (CROSS JOIN keeps that order: SQLite would
		// rather walk every collaboration of a status.)
		q = `SELECT ` + cols + ` FROM participants p CROSS JOIN collaborations c ON c.workspace = p.workspace AND c.id = p.collab
			WHERE p.workspace = ? AND p.person = ?`
		args = append(args, f.Person)
		if f.OpenTasks {
			q += ` AND p.role = ?`
			args = append(args, bot.RoleOpenTask)
		}
		order = ` GROUP BY p.collab ORDER BY p.collab DESC`
	}
	inDepts := func(depts []string) string {
		for _, d := range depts {
			args = append(args, d)
		}
		return `c.id IN (SELECT collab FROM collab_departments WHERE workspace = c.workspace AND department IN (?` +
			strings.Repeat(`, ?`, len(depts)-1) + `))`
	}
	if len(f.Departments) > 0 {
		q += ` AND ` + inDepts(f.Departments)
	}
	if f.Seen != nil {
		args = append(args, f.Seen.Person)
		q += ` AND (c.id IN (SELECT collab FROM participants WHERE workspace = c.workspace AND person = ?)`
		if len(f.Seen.Departments) > 0 {
			q += ` OR ` + inDepts(f.Seen.Departments)
		}
		q += `)`
	}
	if len(f.Status) > 0 {
		q += ` AND c.status IN (?` + strings.Repeat(`, ?`, len(f.Status)-1) + `)`
		for _, s := range f.Status {
			args = append(args, s)
		}
	}
	if f.Group != "" {
		q += ` AND c.grp = ?`
		args = append(args, f.Group)
	}
	if f.Awaiting {
		q += ` AND c.awaits`
	}
	if f.Search != "" {
		id := f.SearchID()
		q += ` AND (c.id = ? OR instr(lower(c.topic), lower(?)) > 0)`
		args = append(args, id, f.Search)
	}
	if !f.Overdue.IsZero() {
		q += ` AND EXISTS (SELECT 1 FROM tasks WHERE workspace = c.workspace AND collab = c.id
			AND status NOT IN ('done', 'cancelled') AND due_unix < ?)`
		args = append(args, unixStamp(f.Overdue))
	}
	if f.NeedsHelp {
		q += ` AND EXISTS (SELECT 1 FROM tasks WHERE workspace = c.workspace AND collab = c.id
			AND status IN ('needs_help', 'blocked'))`
	}
	if f.Before > 0 {
		q += ` AND c.id < ?`
		args = append(args, f.Before)
	}
	q += order
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return q, args, nil
}

func (t *txn) Timeline(ctx context.Context, id bot.CollabID) ([]bot.TimelineEntry, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT at, actor, action, subject, note FROM timeline
		WHERE workspace = ? AND collab = ? ORDER BY seq`, t.ws, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: timeline of %s: %w", id, err)
	}
	defer rows.Close()
	var out []bot.TimelineEntry
	for rows.Next() {
		e := bot.TimelineEntry{Collab: id}
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Subject, &e.Note); err != nil {
			return nil, fmt.Errorf("sqlite: timeline of %s: %w", id, err)
		}
		if e.At, err = unstamp(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *txn) Progress(ctx context.Context, id bot.CollabID, day string) ([]bot.ProgressUpdate, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT body FROM progress WHERE workspace = ? AND collab = ?
		AND (? = '' OR day = ?) ORDER BY day, at`, t.ws, id, day, day)
	if err != nil {
		return nil, fmt.Errorf("sqlite: progress of %s: %w", id, err)
	}
	defer rows.Close()
	var out []bot.ProgressUpdate
	for rows.Next() {
		var body string
		var p bot.ProgressUpdate
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("sqlite: progress of %s: %w", id, err)
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return nil, fmt.Errorf("sqlite: decode progress: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *txn) Enqueue(ctx context.Context, notices ...bot.Notice) (int, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	w := jsonPool.Get().(*jsonRows)
	defer jsonPool.Put(w)
	return t.enqueue(ctx, notices, w)
}

// enqueue writes the notices to the outbox in one statement and counts
// those that were new.
func (t *txn) enqueue(ctx context.Context, notices []bot.Notice, w *jsonRows) (int, error) {
	if len(notices) == 0 {
		return 0, nil
	}
	w.reset()
	now := t.now()
	for _, n := range notices {
		if n.Key == "" {
			return 0, fmt.Errorf("sqlite: notice %s to %s has no key", n.Kind, n.Recipient())
		}
		body, err := json.Marshal(n)
		if err != nil {
			return 0, fmt.Errorf("sqlite: encode notice: %w", err)
		}
		at := n.At
		if at.IsZero() {
			at = now
		}
		w.open()
		w.str(n.Key)
		w.int(int64(n.Collab))
		w.str(n.Recipient())
		w.str(n.Kind)
		w.str(string(body))
		w.str(stamp(at))
		w.close()
	}
	res, err := t.tx.ExecContext(ctx, outboxInsert,
		t.ws, stamp(now), w.String())
	if err != nil {
		return 0, fmt.Errorf("sqlite: enqueue %d notices: %w", len(notices), err)
	}
	added, _ := res.RowsAffected()
	return int(added), nil
}
