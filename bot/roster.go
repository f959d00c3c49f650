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
	var after int64
	if st != nil {
		after = st.version
	}
	people, version, err := tx.PeopleSince(ctx, after)
	if err != nil {
		return nil, err
	}
	if st != nil && version <= st.version {
		return st.dir, nil
	}
	// Only the newcomers are added to the directory built last time.
	next := &rosterState{version: version, dir: r.base.With(people)}
	if st != nil {
		next.dir = st.dir.With(people)
	}
	r.mu.Lock()
	if cur := r.ws[ws]; cur == nil || cur.version < next.version {
		r.ws[ws] = next
	}
	r.mu.Unlock()
	return next.dir, nil
}
