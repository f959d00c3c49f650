// Package recent remembers the last n keys, forgetting the oldest first:
// the in-memory half of de-duplication (an event redelivered while its
// first delivery is still in flight, a read answered without a write),
// where the store's is the durable one.
package recent

import "sync"

// Set is a bounded set of the most recent keys; safe for concurrent use.
type Set struct {
	mu   sync.Mutex
	slot map[string]int // key -> its place in ring
	ring []string
	next int
}

// New is a Set of at most n keys.
func New(n int) *Set {
	return &Set{slot: make(map[string]int, n), ring: make([]string, max(n, 1))}
}

// Add remembers key and reports whether it was new.
func (r *Set) Add(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.slot[key]; ok {
		return false
	}
	if old := r.ring[r.next]; old != "" && r.slot[old] == r.next {
		delete(r.slot, old)
	}
	r.ring[r.next] = key
	r.slot[key] = r.next
	r.next = (r.next + 1) % len(r.ring)
	return true
}

// Has reports whether key is remembered.
func (r *Set) Has(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.slot[key]
	return ok
}

// Forget drops key, so that a redelivery of an event whose handling
// failed is handled again.
func (r *Set) Forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.slot, key)
}
