// Command collabot runs cross-department collaboration (跨部门协作) in
// DingTalk, Slack and the terminal.
//
//	collabot [serve]            run the bot (adapters, scheduler, HTTP)
//	collabot chat               talk to the bot in the terminal
//	collabot tick --at TIME     evaluate the scheduler once
//	collabot export COL-n       print a collaboration's record
//	collabot migrate            create or upgrade the database
//	collabot migrate --from A --to B   copy a deployment to another database
//	collabot backup --to FILE   copy the SQLite database, consistently, while it serves
//	collabot directory sync     read the organisation from the platforms
//	collabot version            print the version
//	collabot bench              run the benchmarks, print one table
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/collabot/collabot/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal starts an orderly shutdown, a second one
	// kills the process at once, as people expect of a second ^C.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is what every subcommand gets: where to write, how to read the
// environment, and — once its flags are parsed — the configuration and log.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	cfg            *config.Config
	log            *slog.Logger
}

// command is one subcommand. Subcommands are a table, not a switch, so
// adding one is adding an entry.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands []command

func init() {
	// Assigned here rather than in the declaration because help refers to
	// the table itself.
	commands = []command{
		{"serve", "run the bot: chat adapters, scheduler and HTTP endpoints (the default)", serve},
		{"chat", "talk to the bot in the terminal, no accounts needed", chat},
		{"tick", "evaluate the scheduler once at a given instant", tick},
		{"export", "print a collaboration's record as Markdown, CSV or JSON", export},
		{"migrate", "create or upgrade the database; --from A --to B copies a deployment to another (e.g. SQLite to PostgreSQL)", migrate},
		{"backup", "write a consistent copy of the SQLite database to a new file: backup --to FILE", backup},
		{"directory", "read the organisation from DingTalk's and Slack's directories: directory sync [--dry-run]", directoryCmd},
		{"version", "print the version", printVersion},
		{"bench", "run the repository's benchmarks (from a source checkout) and print one table", bench},
		{"help", "list the subcommands", help},
	}
}

// errUsage marks a mistake in the command line: exit code 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	name := "serve"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "-v", "--version":
		name = "version"
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, args)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "collabot %s: %v\n", name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "collabot %s: %v\n", name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "collabot: unknown subcommand %q\n\n", name)
	help(ctx, &env{stdout: stderr}, nil)
	return 2
}

func help(_ context.Context, e *env, _ []string) error {
	fmt.Fprintln(e.stdout, "Usage: collabot <subcommand> [--config FILE] [flags]")
	fmt.Fprintln(e.stdout)
	for _, c := range commands {
		fmt.Fprintf(e.stdout, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprintln(e.stdout, "Environment variables override the config file:")
	for _, v := range config.EnvVars() {
		fmt.Fprintln(e.stdout, "  "+v)
	}
	return nil
}

// flags parses the flags every subcommand shares (--config) plus its own,
// then loads the configuration and sets up the log from it.
func (e *env) flags(name string, args []string, define func(*flag.FlagSet)) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet("collabot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	path := fs.String("config", "", "configuration file (default $COLLABOT_CONFIG, else "+config.DefaultConfigPath+" if present, else the demo organisation built in)")
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := loadConfig(*path, e.getenv)
	if err != nil {
		return nil, err
	}
	e.cfg = cfg
	e.log = newLogger(e.stderr, cfg.Log)
	return fs, nil
}

// loadConfig reads --config, else the file COLLABOT_CONFIG names, else
// configs/collabot.yaml; with none, the demo organisation built into the
// binary is the embedded default, so every subcommand works on a fresh
// machine and they all agree on the workspace (what `chat` files, `export`
// finds).
func loadConfig(path string, getenv func(string) string) (*config.Config, error) {
	if path == "" && getenv != nil {
		path = getenv("COLLABOT_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat(config.DefaultConfigPath); err != nil {
			return config.LoadDemo(getenv)
		}
	}
	return config.Load(path, getenv)
}

// newLogger is the one place slog is set up; components get a group of
// their own from it.
func newLogger(w io.Writer, c config.LogConfig) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.SlogLevel()}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
