package scheduler

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/collabot/collabot/bot"
)

// A scan reads what is due a page at a time, by id: each page's
// collaborations are decoded on the read pool, evaluated each on its own
// (evaluatePage) and their firings recorded in bounded write
// transactions; of each only its share (share.go) and its next look are
// kept. Once every page is done, the timers about several
// collaborations are evaluated from the shares (evaluateSeveral) and
// recorded, and only then is the next look of each collaboration noted in
// the index: a scan stopped half-way leaves what it read due, and the
// next one reads it again. So the documents in memory are one page's,
// whatever the size of the workspace.

// DefaultPage is how many collaborations a scan decodes at a time when
// Scheduler.Page is unset.
const DefaultPage = 500

// pagedIndex is a next-due index that lists what is due a page at a
// time, by id (SQLite and PostgreSQL).
type pagedIndex interface {
	DueCollabsAfter(ctx context.Context, t time.Time, after bot.CollabID, limit int) ([]bot.NextDue, error)
}

// page is one page of a scan: what the store listed after an id, and
// what evaluating it found.
type page struct {
	*State
	after  bot.CollabID
	rows   []bot.NextDue // as listed, by id
	full   bool          // as many rows as asked for: more may follow
	closed []bot.NextDue // listed but closed: never due until they change
	due    []Firing
	next   map[bot.CollabID]time.Time
	homes  []Firing
	shares []*share
}

// last is the id the next page starts after.
func (p *page) last() bot.CollabID {
	if len(p.rows) == 0 {
		return p.after
	}
	return p.rows[len(p.rows)-1].Collab
}

// scan is what one tick of a workspace gathered over its pages: small
// things only, never a document.
type scan struct {
	ws     bot.Workspace
	dir    *bot.Directory
	t      time.Time
	pages  int
	shares []*share
	next   map[bot.CollabID]bot.NextDue // each evaluated collaboration's version and next look
	closed []bot.NextDue
	due    []Firing
	kept   map[bot.CollabID]*bot.Collaboration // the documents of a scan of one page
	known  map[string]bool                     // as at the start of the tick
	done   map[string]bool                     // keys recorded (or found recorded) by this tick
	isNew  map[string]bool
	homes  *homeTick
	looks  map[bot.CollabID]time.Time // the next looks the firings about several ask for
}

func (s *Scheduler) pageSize() int {
	if s.Page > 0 {
		return s.Page
	}
	return DefaultPage
}

func (s *Scheduler) batchSize() int {
	if s.Batch > 0 {
		return s.Batch
	}
	return DefaultBatch
}

// list lists up to n of the collaborations due at t after an id, by id:
// from the index, or every open one when the store keeps none (or full).
func (s *Scheduler) list(ctx context.Context, tx bot.Tx, t time.Time, after bot.CollabID, n int, full bool) ([]bot.NextDue, error) {
	if ix, ok := tx.(pagedIndex); ok && !full {
		return ix.DueCollabsAfter(ctx, t, after, n)
	}
	var rows []bot.NextDue
	if ix, ok := tx.(bot.NextDueIndex); ok && !full {
		all, err := ix.DueCollabs(ctx, t)
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			if r.Collab > after {
				rows = append(rows, r)
			}
		}
	} else {
		for _, st := range open {
			versions, err := tx.Versions(ctx, st)
			if err != nil {
				return nil, err
			}
			for id, v := range versions {
				if id > after {
					rows = append(rows, bot.NextDue{Collab: id, Version: v, Status: st})
				}
			}
		}
	}
	slices.SortFunc(rows, func(a, b bot.NextDue) int { return cmp.Compare(a.Collab, b.Collab) })
	return rows[:min(n, len(rows))], nil
}

// readPage reads and evaluates the page after an id: the open
// collaborations listed are decoded (unless known at their version),
// the closed ones only noted.
func (s *Scheduler) readPage(ctx context.Context, tx bot.Tx, sc *scan, after bot.CollabID, known map[bot.CollabID]*bot.Collaboration, full bool) (*page, error) {
	n := s.pageSize()
	rows, err := s.list(ctx, tx, sc.t, after, n, full)
	if err != nil {
		return nil, err
	}
	pg := &page{State: &State{}, after: after, rows: rows, full: len(rows) == n}
	for _, r := range rows {
		if !slices.Contains(open, r.Status) {
			r.At = time.Time{}
			pg.closed = append(pg.closed, r)
			continue
		}
		c := known[r.Collab]
		if c == nil || c.Version != r.Version {
			if c, err = tx.Collaboration(ctx, r.Collab); err != nil {
				return nil, err
			}
		}
		pg.Collabs = append(pg.Collabs, c)
	}
	if len(pg.Collabs) == 0 {
		return pg, nil
	}
	if err := s.surroundings(ctx, tx, sc.ws, sc.dir, sc.t, pg.State, false); err != nil {
		return nil, err
	}
	pg.due, pg.next, pg.homes, pg.shares = evaluatePage(s.Policy, s.Calendar, pg.State, sc.t)
	return pg, nil
}

// samePage reports whether a page still lists the same collaborations at
// the same versions, with the same people, progress and settings: Due
// answers the same for it. It decodes nothing.
func (s *Scheduler) samePage(ctx context.Context, tx bot.Tx, sc *scan, read *page) (bool, error) {
	rows, err := s.list(ctx, tx, sc.t, read.after, s.pageSize(), false)
	if err != nil {
		return false, err
	}
	if !slices.Equal(rows, read.rows) {
		return false, nil
	}
	if len(read.Collabs) == 0 {
		return true, nil
	}
	now := &State{Collabs: read.Collabs}
	if err := s.surroundings(ctx, tx, sc.ws, sc.dir, sc.t, now, false); err != nil {
		return false, err
	}
	return sameState(now, read.State, false), nil
}

// documents are a page's decoded collaborations by id.
func (p *page) documents() map[bot.CollabID]*bot.Collaboration {
	out := make(map[bot.CollabID]*bot.Collaboration, len(p.Collabs))
	for _, c := range p.Collabs {
		out[c.ID] = c
	}
	return out
}

// scanPage reads the page after an id on the read pool, then records
// what it found in batches of at most Batch firings, each its own
// transaction that first checks the page is as read (else reads it
// again inside it). What a committed page found is added to the scan.
// A page read already (the first, with the basis) is passed as read.
func (s *Scheduler) scanPage(ctx context.Context, sc *scan, after bot.CollabID, read *page) (*page, error) {
	if read == nil {
		if err := s.Store.View(ctx, sc.ws, func(tx bot.Tx) error {
			var err error
			read, err = s.readPage(ctx, tx, sc, after, s.cached(sc.ws), false)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if len(read.rows) == 0 {
		return read, nil // nothing due: the writer is not asked
	}
	if !s.writes(sc, read) {
		// Nothing to record: the writer is not asked (what the page
		// shares is checked again before the timers about several).
		sc.committed(read.due, nil)
		for _, f := range read.homes {
			if s.Homes != nil && f.To != "" {
				sc.homes.still[homeKey(f)] = true
			}
		}
		sc.add(read)
		return read, nil
	}
	pos := 0
	for {
		// What one batch did, kept only once it is committed (a store may
		// run fn again).
		var st *page
		var p int
		var fresh []string
		finished := false
		err := s.Store.Apply(ctx, sc.ws, "", func(tx bot.Tx) error {
			st, p, fresh, finished = read, pos, nil, false
			same, err := s.samePage(ctx, tx, sc, read)
			if err != nil {
				return err
			}
			if !same {
				if st, err = s.readPage(ctx, tx, sc, after, read.documents(), false); err != nil {
					return err
				}
				p = 0
			}
			if p, fresh, err = s.recordSome(ctx, tx, sc, st.due, p); err != nil {
				return err
			}
			if p == len(st.due) {
				for _, f := range st.homes {
					if err := s.homeTurned(ctx, tx, sc.ws, f, sc.t, sc.homes); err != nil {
						return err
					}
				}
				finished = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		from := pos
		if st != read {
			from = 0 // evaluated afresh
		}
		sc.committed(st.due[from:p], fresh)
		read, pos = st, p
		if finished {
			break
		}
	}
	sc.add(read)
	return read, nil
}

// writes reports whether a page has anything to record: a firing not
// known to be recorded, or a home page not yet refreshed.
func (s *Scheduler) writes(sc *scan, p *page) bool {
	for _, f := range p.due {
		if key := f.key(); f.Outcome != bot.ReminderWaiting && !sc.known[key] && !sc.done[key] {
			return true
		}
	}
	return s.Homes != nil && slices.ContainsFunc(p.homes, func(f Firing) bool { return f.To != "" && !sc.homes.before[homeKey(f)] })
}

// recordSome records due firings from p on, at most Batch of them,
// skipping those this tick or the last saw recorded; it returns where it
// stopped and the keys it found new.
func (s *Scheduler) recordSome(ctx context.Context, tx bot.Tx, sc *scan, due []Firing, p int) (int, []string, error) {
	var fresh []string
	for n := 0; p < len(due) && n < s.batchSize(); p++ {
		f := due[p]
		if f.Outcome == bot.ReminderWaiting {
			continue // sent once working hours begin
		}
		key := f.key()
		if sc.done[key] {
			continue
		}
		if !sc.known[key] {
			recorded, err := s.record(ctx, tx, f, sc.t)
			if err != nil {
				return p, nil, err
			}
			if recorded {
				fresh = append(fresh, key)
			}
		}
		n++
	}
	return p, fresh, nil
}

// committed notes firings a committed batch went through.
func (sc *scan) committed(went []Firing, fresh []string) {
	for _, f := range went {
		sc.done[f.key()] = true
	}
	for _, k := range fresh {
		sc.isNew[k] = true
	}
}

// add keeps what a committed page found: its firings for the report, the
// shares and next looks; its documents only while the scan has read no
// more than this one page.
func (sc *scan) add(p *page) {
	sc.pages++
	sc.due = append(sc.due, p.due...)
	sc.shares = append(sc.shares, p.shares...)
	sc.closed = append(sc.closed, p.closed...)
	for _, c := range p.Collabs {
		sc.next[c.ID] = bot.NextDue{Collab: c.ID, Version: c.Version, At: p.next[c.ID]}
	}
	if sc.pages == 1 {
		sc.kept = p.documents()
	} else {
		sc.kept = nil
	}
}

// cached are the documents the last scan of the workspace kept.
func (s *Scheduler) cached(ws bot.Workspace) map[bot.CollabID]*bot.Collaboration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cache[ws]
}

// several records the timers about several collaborations, from the
// shares of every page, in batches. Each batch first brings the shares
// up to date: a collaboration saved since its page was read is decoded
// again (it is due, listed at its new version), one closed since is left
// out. Then the next looks are noted, in the last batch when they fit in
// one (a minute's few), else in transactions of their own.
func (s *Scheduler) several(ctx context.Context, sc *scan) error {
	if len(sc.shares) == 0 {
		return s.noteNext(ctx, sc, s.nextEntries(sc, nil))
	}
	for {
		var due []Firing
		var p int
		var fresh []string
		noted := false
		err := s.Store.Apply(ctx, sc.ws, "", func(tx bot.Tx) error {
			noted = false
			shares, err := s.currentShares(ctx, tx, sc)
			if err != nil {
				return err
			}
			st := &State{}
			if err := s.surroundings(ctx, tx, sc.ws, sc.dir, sc.t, st, summaries(shares)); err != nil {
				return err
			}
			var looks map[bot.CollabID]time.Time
			due, looks = evaluateSeveral(s.Policy, s.Calendar, st, shares, sc.t)
			sortFirings(due)
			// Each batch walks the firings from the start (a change
			// between batches may move them): those done are skipped.
			if p, fresh, err = s.recordSome(ctx, tx, sc, due, 0); err != nil || p < len(due) {
				return err
			}
			if next := s.nextEntries(sc, looks); len(next) <= 4*s.batchSize() {
				noted = true
				return setNextDue(ctx, tx, next)
			}
			sc.looks = looks
			return nil
		})
		if err != nil {
			return err
		}
		sc.committed(due[:p], fresh)
		if p == len(due) {
			sc.due = append(sc.due, due...)
			if noted {
				return nil
			}
			return s.noteNext(ctx, sc, s.nextEntries(sc, sc.looks))
		}
	}
}

// currentShares are the scan's shares as the store has them now. It
// walks the index a page at a time beside the shares (both by id).
func (s *Scheduler) currentShares(ctx context.Context, tx bot.Tx, sc *scan) ([]*share, error) {
	out := make([]*share, 0, len(sc.shares))
	var changed []*bot.Collaboration
	rest := sc.shares
	for after := bot.CollabID(0); len(rest) > 0; {
		rows, err := s.list(ctx, tx, sc.t, after, s.pageSize(), false)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			break
		}
		for _, r := range rows {
			for len(rest) > 0 && rest[0].id < r.Collab {
				out, rest = append(out, rest[0]), rest[1:] // not listed: as read
			}
			if len(rest) == 0 || rest[0].id != r.Collab {
				continue
			}
			sh := rest[0]
			rest = rest[1:]
			switch {
			case r.Version == sh.version:
				out = append(out, sh)
			case slices.Contains(open, r.Status): // saved since: read again
				c, err := tx.Collaboration(ctx, sh.id)
				if err != nil {
					return nil, err
				}
				changed = append(changed, c)
			}
		}
		if len(rows) < s.pageSize() {
			break
		}
		after = rows[len(rows)-1].Collab
	}
	out = append(out, rest...)
	if len(changed) > 0 {
		d := newDue(s.Policy, s.Calendar, &State{}, sc.t)
		business := s.Calendar.IsBusinessDay(sc.t)
		for _, c := range changed {
			d.cur = c.ID
			out = append(out, d.share(c, business))
		}
		slices.SortFunc(out, func(a, b *share) int { return cmp.Compare(a.id, b.id) })
	}
	return out, nil
}

// nextEntries are the index entries of what the scan read: when each
// collaboration next needs a look, moved earlier by what the held
// firings about several ask for.
func (s *Scheduler) nextEntries(sc *scan, looks map[bot.CollabID]time.Time) []bot.NextDue {
	next := make(map[bot.CollabID]time.Time, len(sc.next))
	for id, n := range sc.next {
		next[id] = n.At
	}
	settle(next, looks)
	entries := make([]bot.NextDue, 0, len(sc.next)+len(sc.closed))
	for id, n := range sc.next {
		entries = append(entries, bot.NextDue{Collab: id, Version: n.Version, At: next[id]})
	}
	entries = append(entries, sc.closed...)
	slices.SortFunc(entries, func(a, b bot.NextDue) int { return cmp.Compare(a.Collab, b.Collab) })
	return entries
}

// noteNext writes index entries in transactions of at most four
// batches' worth: an entry is one small update, a firing several rows.
func (s *Scheduler) noteNext(ctx context.Context, sc *scan, entries []bot.NextDue) error {
	for len(entries) > 0 {
		chunk := entries[:min(len(entries), 4*s.batchSize())]
		entries = entries[len(chunk):]
		if err := s.Store.Apply(ctx, sc.ws, "", func(tx bot.Tx) error { return setNextDue(ctx, tx, chunk) }); err != nil {
			return err
		}
	}
	return nil
}

// setNextDue writes index entries; a store without an index has
// nothing to write.
func setNextDue(ctx context.Context, tx bot.Tx, entries []bot.NextDue) error {
	index, ok := tx.(bot.NextDueIndex)
	if !ok || len(entries) == 0 {
		return nil
	}
	return index.SetNextDue(ctx, entries...)
}

// rebase makes everything due once when the index was built on another
// basis (another policy or calendar, or never): the scan then reads
// every collaboration, page by page, and notes each afresh. When the
// basis holds it reads the first page in the same transaction (a minute
// with nothing due asks the store once).
func (s *Scheduler) rebase(ctx context.Context, sc *scan) (*page, error) {
	b := s.basis(sc.t)
	stale := false
	var first *page
	if err := s.Store.View(ctx, sc.ws, func(tx bot.Tx) error {
		if index, ok := tx.(bot.NextDueIndex); ok {
			had, err := index.NextDueBasis(ctx)
			if stale = had != b; stale || err != nil {
				return err
			}
		}
		var err error
		first, err = s.readPage(ctx, tx, sc, 0, s.cached(sc.ws), false)
		return err
	}); err != nil || !stale {
		return first, err
	}
	return nil, s.Store.Apply(ctx, sc.ws, "", func(tx bot.Tx) error {
		index := tx.(bot.NextDueIndex)
		if had, err := index.NextDueBasis(ctx); err != nil || had == b {
			return err // another replica did it
		}
		return index.ResetNextDue(ctx, b)
	})
}
