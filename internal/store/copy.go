package store

import "context"

// Copier is what `collabot migrate --from … --to …` needs of each store to
// carry a deployment from one database to another: the rows of its tables.
// Both stores keep the same tables with the same column names; each reads
// its values in its own types and converts what it is given when it
// writes, so a copy needs no knowledge of either schema.
type Copier interface {
	// CopyTables are the tables a copy carries, parents before children
	// (the order a copy writes them in). Bookkeeping the target keeps for
	// itself (its applied migrations) is not among them.
	CopyTables() []string
	// ReadRows calls fn with each row of table in primary-key order.
	// Values are nil, int64, float64, string, []byte, bool or time.Time;
	// fn may keep neither slice past its return.
	ReadRows(ctx context.Context, table string, fn func(cols []string, row []any) error) error
	// WriteRows inserts rows into table in one transaction, converting
	// each value to its column's type: an instant may come as time.Time
	// or as text (RFC 3339), a document as text, a flag as bool or
	// int64. It never overwrites a row; a key present already is an error.
	WriteRows(ctx context.Context, table string, cols []string, rows [][]any) error
	// CountRows counts the rows of table.
	CountRows(ctx context.Context, table string) (int64, error)
	// FinishCopy moves whatever numbers new rows (auto-increment
	// counters, sequences) past the rows copied in, so that the next
	// insert does not collide with a copied one.
	FinishCopy(ctx context.Context) error
}
