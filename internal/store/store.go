// Package store is the one contract a deployment's store keeps: the
// small interfaces the core, the dispatcher, the scheduler, the web board
// and cmd each declare where they use them, gathered into Backend, which
// is what `collabot serve` needs from a database. internal/sqlite keeps it
// on one file; a second store (PostgreSQL) is done when it satisfies
// Backend and passes internal/storetest.
//
// Errors are values a caller tests with errors.Is, whichever store it runs
// on; the words a person reads are chosen by the engine from their codes,
// never by a store:
//   - bot.ErrDuplicateEvent: Apply of an event applied before (fn not called);
//   - bot.ErrConflict: Save of a collaboration saved by someone else since
//     it was loaded (the caller loads again and retries);
//   - bot.ErrReadOnly: a write in a View's transaction;
//   - bot.ErrOverloaded: Apply of an event the store could not record in
//     time (the platform retries);
//   - an error whose bot.ErrorCode is bot.CodeNotFound: what the workspace
//     does not have;
//   - ErrForeignWorkspace: Apply or View of a workspace the store is not
//     sealed to;
//   - ErrSent: Attempt of a row sent already.
//
// The package holds interfaces, error values and what every store shares
// (the reading of its embedded migrations), so that every implementation
// may import it (`var _ store.Backend = (*Store)(nil)`)
// without a cycle; internal/database opens one by address.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
)

// Backend is everything a deployment needs from its database.
type Backend interface {
	bot.Store
	Outbox
	Lifecycle
	Directory
	Figures
	Retention
}

// Tx is what the transactions a Backend hands to Apply and View offer:
// bot.Tx plus the capabilities the scheduler and the roster look for by
// type assertion. A store whose transactions lacked them would still work,
// slowly (the scheduler reads every open collaboration) or partly (the
// roster ignores the synced directory), so the contract demands them and
// internal/storetest checks them.
type Tx interface {
	bot.Tx
	bot.NextDueIndex
	SyncedReader
}

// SyncedReader reads the directory synced from the platforms inside a
// transaction (bot.Roster looks for it).
type SyncedReader interface {
	// SyncedSince returns the synced directory and its version when the
	// version moved past after; nil and the version otherwise.
	SyncedSince(ctx context.Context, after int64) (*bot.Synced, int64, error)
}

// Outbox is what the dispatcher and the readiness check work on.
type Outbox interface {
	// DueNotices lists up to limit unsent notices due at now, oldest
	// first, without claiming them (tests and `collabot tick` look).
	DueNotices(ctx context.Context, now time.Time, limit int) ([]bot.Queued, error)
	// Claim takes up to limit rows due at now and hides them from every
	// other claimer, in this process or another, until now+hold.
	Claim(ctx context.Context, now time.Time, limit int, hold time.Duration) ([]bot.Queued, error)
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkFailed counts an attempt and schedules the next.
	MarkFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error
	// Defer schedules a row that was not tried, without counting it.
	Defer(ctx context.Context, id int64, until time.Time) error
	// DeferAll is Defer of many rows in one write.
	DeferAll(ctx context.Context, until map[int64]time.Time) error
	// Attempt notes, before a send begins, that it begins at at, and
	// returns when an earlier attempt began whose outcome was never
	// recorded (zero if none); ErrSent if the row was sent already.
	Attempt(ctx context.Context, id int64, at time.Time) (time.Time, error)
	// Untried notes that the last attempt certainly reached nothing.
	Untried(ctx context.Context, id int64) error
	// OutboxDepth counts unsent notices and the age of the oldest at now.
	OutboxDepth(ctx context.Context, now time.Time) (int, time.Duration, error)
}

// Lifecycle is opening, checking and closing a database.
type Lifecycle interface {
	// Migrate applies the migrations not applied yet, in order, each in a
	// transaction; safe to run twice and from several processes at once.
	// It returns the names of those it applied.
	Migrate(ctx context.Context) ([]string, error)
	// PendingMigrations counts the migrations not applied yet.
	PendingMigrations(ctx context.Context) (int, error)
	// Ping checks that the database answers (readiness).
	Ping(ctx context.Context) error
	// Workspaces are the workspaces the store is sealed to; none: all.
	Workspaces() []bot.Workspace
	Close() error
}

// Directory keeps what the platforms' directories said last time
// (`collabot directory sync`).
type Directory interface {
	// Synced returns the stored directory of the workspace (entries gone
	// from the platforms included) and its version.
	Synced(ctx context.Context, ws bot.Workspace) (bot.Synced, int64, error)
	// SaveSynced stores what was read and returns how it differs.
	SaveSynced(ctx context.Context, ws bot.Workspace, read bot.Synced) (bot.SyncDiff, error)
}

// Figures are the counts the web board's Departments page and the digest
// read with queries rather than by loading every collaboration.
type Figures interface {
	DepartmentFacts(ctx context.Context, ws bot.Workspace, since, until time.Time) (bot.DeptFacts, error)
	// AttentionTasks lists the open tasks overdue at now or needing help.
	AttentionTasks(ctx context.Context, ws bot.Workspace, now time.Time) ([]bot.TaskFact, error)
}

// Retention deletes what is kept only for a while.
type Retention interface {
	// Prune deletes, in the store's workspaces, up to batch received
	// event ids recorded before eventsBefore and up to batch notices sent
	// before sentBefore; a caller repeats it while a count equals batch.
	// Unsent notices and the reminder ledger are never pruned.
	Prune(ctx context.Context, eventsBefore, sentBefore time.Time, batch int) (events, sent int, err error)
}

// PruneBatch is a sensible batch for Prune: a few milliseconds of a write.
const PruneBatch = 500

// ErrSent is returned by Attempt for a row that was sent already: its
// claim was lost to another dispatcher.
var ErrSent = errors.New("already sent")

// ErrForeignWorkspace is returned by Apply and View of a store sealed to
// some workspaces for any other: a deployment sharing the database with
// another never reads or writes that one's rows.
var ErrForeignWorkspace = errors.New("store: workspace not served by this deployment")
