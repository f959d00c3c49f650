package sqlite

import "github.com/collabot/collabot/internal/store"

// The store keeps the whole contract a deployment needs, and its
// transactions offer what the scheduler and the roster look for;
// internal/storetest runs the behaviour behind it (storetest_test.go).
var (
	_ store.Backend = (*Store)(nil)
	_ store.Tx      = (*txn)(nil)
)
