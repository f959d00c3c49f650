package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/store"
)

// stdin is what chat reads; tests replace it.
var stdin io.Reader = os.Stdin

// chat runs the terminal chat. With no --config it uses the demo
// organisation built into the binary, so it works on a fresh machine.
func chat(ctx context.Context, e *env, args []string) error {
	var as, at *string
	if _, err := e.flags("chat", args, func(fs *flag.FlagSet) {
		as = fs.String("as", "", "person id to speak as first (default: the first department's contact)")
		at = fs.String("now", "", "start the bot's clock at this instant (RFC 3339), for demos and scripted runs")
	}); err != nil {
		return err
	}
	var err error
	var start time.Time
	if *at != "" {
		if start, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("%w: --now %q is not an RFC 3339 time like 2026-11-23T10:00:00+08:00", errUsage, *at)
		}
	}
	clock := console.NewClock(start)
	// The chat owns the terminal: only warnings go to stderr.
	e.cfg.Log.Level = "warn"
	e.log = newLogger(e.stderr, e.cfg.Log)
	store, eng, err := openEngine(ctx, e, clock)
	if err != nil {
		return err
	}
	defer store.Close()
	speaker := bot.PersonID(*as)
	if speaker == "" {
		speaker = defaultSpeaker(e.cfg)
	}
	if _, ok := eng.Directory.Person(speaker); !ok {
		return fmt.Errorf("%w: --as %q is not a person of workspace %s", errUsage, speaker, e.cfg.Workspace)
	}
	c := &console.Console{
		Workspace: bot.Workspace(e.cfg.Workspace), Handler: eng, In: stdin, Out: e.stdout, As: speaker,
		Interactive: isTerminal(stdin), Clock: clock, Location: e.cfg.Location(),
	}
	// The terminal shows everyone's notifications, so the console is the
	// dispatcher's fallback for every recipient, whatever their platform.
	d, err := dispatch.New(dispatch.Options{Outbox: store, Render: eng.Notification, Fallback: c, Clock: clock, Log: e.log.WithGroup("dispatch")})
	if err != nil {
		return err
	}
	// The scheduler runs at the chat's clock after every message and every
	// :clock move, so reminders show up the way they would in a group.
	sched := newScheduler(e, store, eng)
	c.Deliver = func(ctx context.Context) error {
		if _, err := sched.Tick(ctx, clock.Now(), false); err != nil {
			return err
		}
		_, err := d.DrainAll(ctx)
		return err
	}
	return c.Run(ctx)
}

func defaultSpeaker(cfg *config.Config) bot.PersonID {
	dir := cfg.Directory()
	for _, d := range dir.Departments {
		if d.Contact != "" {
			return d.Contact
		}
	}
	if len(dir.People) > 0 {
		return dir.People[0].ID
	}
	return ""
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// openStore opens and migrates the configured database: a first run on a
// fresh machine needs no separate migrate step. The store is sealed to
// the configured workspace, so a deployment sharing the file with another
// never claims, reads or writes that one's rows.
func openStore(ctx context.Context, e *env, clock bot.Clock) (store.Backend, error) {
	store, err := openDatabase(ctx, e, clock)
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// openDatabase opens the configured database, sealed to the configured
// workspace, without migrating it; clock stamps its rows (nil: the wall
// clock).
func openDatabase(ctx context.Context, e *env, clock bot.Clock) (store.Backend, error) {
	return database.Open(ctx, dbAddr(e.cfg), database.Options{Log: e.log, Clock: clock,
		Workspaces: []bot.Workspace{bot.Workspace(e.cfg.Workspace)}})
}

// openEngine opens the store and the engine on it, both on clock.
func openEngine(ctx context.Context, e *env, clock bot.Clock) (store.Backend, *engine.Engine, error) {
	store, err := openStore(ctx, e, clock)
	if err != nil {
		return nil, nil, err
	}
	eng, err := newEngine(e, store, clock)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, eng, nil
}

// newEngine wires the conversation engine from the configuration.
func newEngine(e *env, store store.Backend, clock bot.Clock) (*engine.Engine, error) {
	cal, err := e.cfg.Calendar(e.log.WithGroup("calendar"))
	if err != nil {
		return nil, err
	}
	templates, err := forms.Load(configs.FS, e.cfg.Templates)
	if err != nil {
		return nil, err
	}
	return engine.New(engine.Deps{
		Store: store, Directory: e.cfg.Directory(), Calendar: cal, Forms: templates,
		Clock: clock, Log: e.log.WithGroup("engine"), Lang: e.cfg.Lang(),
		Idle: e.cfg.Dialog.IdleTimeout, Policy: withProcess(policy(e.cfg.Timers), e.cfg.Process), GroupLangs: e.cfg.ChannelLangs(),
	})
}
