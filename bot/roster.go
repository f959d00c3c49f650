package bot

import (
	"context"
	"sync"
)

// Roster is the organisation as a process keeps it: the configured
// directory merged with everyone registered on first contact. It reads
// the registered people from the store once, then per call only the
// workspace's people version and whoever was registered since, so a
// message costs one indexed look-up however many people there are, and
// the merged directory (with its maps) is built only when someone new
// arrives. It is safe for concurrent use.
type Roster struct {
	base *Directory
	mu   sync.Mutex
	ws   map[Workspace]*rosterState
}

type rosterState struct {
	version int64
	dir     *Directory
	synced  int64      // the version of the platforms' directory merged into base
	base    *Directory // the configuration with the platforms' directory under it
}

// syncedReader is the part of a store's transaction that reads the
// directory synced from the platforms (`collabot directory sync`). A
// store without it serves the configuration and first contacts alone.
type syncedReader interface {
	// SyncedSince returns the synced directory and its version when the
	// version moved past after; nil and the version otherwise. The
	// version grows with every sync that changed something.
	SyncedSince(ctx context.Context, after int64) (*Synced, int64, error)
}

// newer reports whether s was built from later versions than cur.
func (s *rosterState) newer(cur *rosterState) bool {
	return cur == nil || s.synced > cur.synced || (s.synced == cur.synced && s.version > cur.version)
}

// NewRoster keeps base merged with the people the store registers.
func NewRoster(base *Directory) *Roster {
	return &Roster{base: base, ws: map[Workspace]*rosterState{}}
}

// Base is the configured directory.
func (r *Roster) Base() *Directory { return r.base }

// Directory returns the organisation of ws as tx sees it (or newer: a
// read transaction on an older snapshot gets the directory a newer one
// built, which only knows more people). Call it before registering
// anyone in tx: what it reads is kept after tx ends.
func (r *Roster) Directory(ctx context.Context, ws Workspace, tx Tx) (*Directory, error) {
	r.mu.Lock()
	st := r.ws[ws]
	r.mu.Unlock()
	var after, syncedAfter int64
	base := r.base
	if st != nil {
		after, syncedAfter, base = st.version, st.synced, st.base
	}
	syncedVersion := syncedAfter
	if sr, ok := tx.(syncedReader); ok {
		synced, v, err := sr.SyncedSince(ctx, syncedAfter)
		if err != nil {
			return nil, err
		}
		if synced != nil && v > syncedAfter {
			// A sync changed the platforms' directory: merge it under the
			// configuration again, and everyone registered on top.
			base, _ = r.base.Merge(*synced)
			syncedVersion, after, st = v, 0, nil
		}
	}
	people, version, err := tx.PeopleSince(ctx, after)
	if err != nil {
		return nil, err
	}
	if st != nil && version <= st.version {
		return st.dir, nil
	}
	// Only the newcomers are added to the directory built last time.
	next := &rosterState{version: version, dir: base.With(people), synced: syncedVersion, base: base}
	if st != nil {
		next.dir = st.dir.With(people)
	}
	r.mu.Lock()
	if next.newer(r.ws[ws]) {
		r.ws[ws] = next
	}
	r.mu.Unlock()
	return next.dir, nil
}
