package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// testTenantsSealed: two deployments on one file, one workspace each
// (issue 14, row 1). On the old store acme's Claim took beta's rows too.
func testTenantsSealed(t *testing.T, db DB) {
	ctx := context.Background()
	sealed := func(ws bot.Workspace) store.Backend { return openWith(t, db, Options{Workspaces: []bot.Workspace{ws}}) }
	stores := map[bot.Workspace]store.Backend{"acme": sealed("acme"), "beta": sealed("beta")}
	for ws, s := range stores {
		err := s.Apply(ctx, ws, "", func(tx bot.Tx) error {
			for i := range 3 {
				if _, err := tx.Enqueue(ctx, bot.Notice{Key: fmt.Sprintf("%s/%d", ws, i), Kind: "ack_requested", To: "ben", At: t0}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for ws, s := range stores {
		due, err := s.DueNotices(ctx, t0, 100)
		if err != nil || len(due) != 3 {
			t.Fatalf("%s: %d due, want its own 3: %v", ws, len(due), err)
		}
		if n, _, err := s.OutboxDepth(ctx, t0); err != nil || n != 3 {
			t.Errorf("%s: depth %d, want 3: %v", ws, n, err)
		}
		got, err := s.Claim(ctx, t0, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Errorf("%s claimed %d rows, want its own 3", ws, len(got))
		}
		for _, q := range got {
			if q.Workspace != ws {
				t.Errorf("%s claimed a row of %s: %+v", ws, q.Workspace, q)
			}
		}
	}
	// Neither may read or write the other's workspace, even by asking.
	for _, tt := range []struct {
		store, other bot.Workspace
	}{{"acme", "beta"}, {"beta", "acme"}} {
		s := stores[tt.store]
		if err := s.View(ctx, tt.other, func(bot.Tx) error { return nil }); !errors.Is(err, store.ErrForeignWorkspace) {
			t.Errorf("%s viewing %s: %v, want ErrForeignWorkspace", tt.store, tt.other, err)
		}
		called := false
		err := s.Apply(ctx, tt.other, "slack:Ev1", func(bot.Tx) error { called = true; return nil })
		if !errors.Is(err, store.ErrForeignWorkspace) || called {
			t.Errorf("%s applying to %s: %v (fn called %v), want ErrForeignWorkspace", tt.store, tt.other, err, called)
		}
		// The board's figures are the workspace's too.
		if _, err := s.DepartmentFacts(ctx, tt.other, t0.Add(-time.Hour), t0.Add(time.Hour)); !errors.Is(err, store.ErrForeignWorkspace) {
			t.Errorf("%s's department figures of %s: %v, want ErrForeignWorkspace", tt.store, tt.other, err)
		}
		if _, err := s.AttentionTasks(ctx, tt.other, t0); !errors.Is(err, store.ErrForeignWorkspace) {
			t.Errorf("%s's attention tasks of %s: %v, want ErrForeignWorkspace", tt.store, tt.other, err)
		}
	}
	// An unsealed store (tools, the export of a whole file) still sees both.
	if due, _ := open(t, db).DueNotices(ctx, t0.Add(time.Hour), 100); len(due) != 6 {
		t.Errorf("unsealed store sees %d rows, want 6", len(due))
	}
}
