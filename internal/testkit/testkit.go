// Package testkit is what several packages' tests need alike: the demo
// organisation's engine on a real SQLite file (opened as any store.Backend), a log buffer goroutines may
// share, and polling with a deadline. Only tests import it.
package testkit

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/store"
)

// Demo is the conversation engine on the demo organisation, wired the way
// collabot's own commands wire it.
type Demo struct {
	Config *config.Config
	Forms  *forms.Set
	Store  store.Backend
	Engine *engine.Engine
}

// Workspace is the demo's workspace.
func (d *Demo) Workspace() bot.Workspace { return bot.Workspace(d.Config.Workspace) }

// OpenDemo opens (and migrates) the SQLite file at path and starts the
// engine on it at clock; ws, when not empty, replaces the demo's
// workspace. Two Demos on one path are two replicas sharing a store. The
// store is closed when the test ends.
func OpenDemo(t testing.TB, path string, clock bot.Clock, ws bot.Workspace) *Demo {
	t.Helper()
	return OpenDemoTemplates(t, path, clock, ws, "")
}

// OpenDemoTemplates is OpenDemo with the form templates of a folder
// overriding the built-in ones, as COLLABOT_TEMPLATES does.
func OpenDemoTemplates(t testing.TB, path string, clock bot.Clock, ws bot.Workspace, templates string) *Demo {
	t.Helper()
	cfg, err := config.LoadDemo(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if ws != "" {
		cfg.Workspace = string(ws)
	}
	ctx := context.Background()
	store, err := database.Open(ctx, Database(t, path), database.Options{Log: Quiet(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.Calendar(Quiet())
	if err != nil {
		t.Fatal(err)
	}
	set, err := forms.Load(configs.FS, templates)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Deps{Store: store, Directory: cfg.Directory(), Calendar: cal, Forms: set,
		Clock: clock, Log: Quiet(), Lang: cfg.Lang(), Idle: cfg.Dialog.IdleTimeout})
	if err != nil {
		t.Fatal(err)
	}
	return &Demo{Config: cfg, Forms: set, Store: store, Engine: eng}
}

// Quiet is a logger that writes nothing.
func Quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// SyncBuffer is a log destination many goroutines may write to.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Eventually polls cond until it holds, failing the test after a
// deadline generous enough for a loaded 2-core machine.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}
