package sqlite

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// ErrForeignWorkspace is returned by Apply and View for a workspace the
// store was not opened for: a deployment serves its own tenants only,
// even when several share one database file.
var ErrForeignWorkspace = store.ErrForeignWorkspace

// ForWorkspaces seals the store to the given workspaces: claims, scans,
// depth and pruning see only their rows, and Apply and View refuse any
// other. Two deployments (or two workspaces of one) may then share a
// database without one ever sending, reading or writing the other's
// rows. Without it the store serves every workspace, which tools and
// tests that look at the whole file rely on.
func ForWorkspaces(ws ...bot.Workspace) Option {
	return func(s *Store) {
		for _, w := range ws {
			if w != "" && !slices.Contains(s.tenants, w) {
				s.tenants = append(s.tenants, w)
			}
		}
		b, _ := json.Marshal(s.tenants) // strings only: cannot fail
		s.tenantsJSON = string(b)
	}
}

// Workspaces lists the workspaces the store is sealed to (nil: all).
func (s *Store) Workspaces() []bot.Workspace { return slices.Clone(s.tenants) }

// serves reports whether ws is one of the store's workspaces.
func (s *Store) serves(ws bot.Workspace) error {
	if len(s.tenants) == 0 || slices.Contains(s.tenants, ws) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrForeignWorkspace, ws)
}

// scoped is the condition that keeps a query to the store's workspaces,
// and its argument. Unsealed, it is "(NULL IS NULL)": always true, but
// still one parameter, so every query binds the same arguments either way.
func (s *Store) scoped() (string, any) {
	if len(s.tenants) == 0 {
		return "(? IS NULL)", nil
	}
	return "workspace IN (SELECT value FROM json_each(?))", s.tenantsJSON
}
