package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

const exportSynopsis = "collabot export COL-n [--format md|csv|json] [--lang zh|en] [--at TIME] [--config FILE]"

// exportUsage is a command-line mistake (exit 2), followed by the synopsis
// so the fix is on screen.
func exportUsage(format string, args ...any) error {
	return fmt.Errorf("%w: %s\n%s", errUsage, fmt.Sprintf(format, args...), exportSynopsis)
}

// export prints one collaboration's record sheet (跨部门沟通记录表).
func export(ctx context.Context, e *env, args []string) error {
	var format, langFlag, at string
	flags, refs := splitArgs(args)
	_, err := e.flags("export", flags, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "md", "output format: md, csv or json")
		fs.StringVar(&langFlag, "lang", "", "language of labels: zh or en (default: the configuration's language)")
		fs.StringVar(&at, "at", "", "the record as of this instant, RFC 3339 (default: now): what is overdue, and generated_at")
	})
	if err != nil {
		return err
	}
	if len(refs) != 1 {
		return exportUsage("name one collaboration, e.g. COL-3")
	}
	id, err := bot.ParseCollabID(refs[0])
	if err != nil {
		return exportUsage("%q is not a collaboration id, e.g. COL-3", refs[0])
	}
	write, ok := exportFormats[strings.ToLower(format)]
	if !ok {
		return exportUsage("unknown format %q: use md, csv or json", format)
	}
	now := time.Now()
	if at != "" {
		if now, err = time.Parse(time.RFC3339, at); err != nil {
			return exportUsage("--at %q is not an RFC 3339 time like 2026-11-24T17:00:00+08:00", at)
		}
	}
	lang := e.cfg.Lang()
	if langFlag != "" {
		if lang, ok = bot.ParseLang(langFlag); !ok {
			return exportUsage("unknown language %q: use zh or en", langFlag)
		}
	}

	ws := bot.Workspace(e.cfg.Workspace)
	notFound := fmt.Errorf("%s was not found in workspace %s", id, ws)
	// Opening a missing file would create an empty database just to
	// report that nothing is in it.
	if dbMissing(e.cfg) {
		return fmt.Errorf("%w: there is no database at %s (set COLLABOT_DB or db in the config, or COLLABOT_DATABASE_URL)", notFound, e.cfg.DB)
	}
	store, err := openDatabase(ctx, e, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	// A database from an older build is brought up to date rather than
	// read with a schema it does not have.
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}

	var sheet *record.Sheet
	err = store.View(ctx, ws, func(tx bot.Tx) error {
		c, err := tx.Collaboration(ctx, id)
		if err != nil {
			return err
		}
		// The organisation as the bot sees it: the configuration, the
		// directory synced from the platforms, everyone met since.
		dir, err := bot.NewRoster(e.cfg.Directory()).Directory(ctx, ws, tx)
		if err != nil {
			return err
		}
		sheet, err = record.Read(ctx, tx, c, dir, now, e.cfg.Location())
		return err
	})
	if bot.ErrorCode(err) == bot.CodeNotFound {
		return notFound
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", id, err)
	}
	// Rendered in full before printing, so a failure never leaves half a
	// sheet on stdout for a script to mistake for the whole.
	var out bytes.Buffer
	if err := write(sheet, &out, lang); err != nil {
		return fmt.Errorf("export %s: %w", id, err)
	}
	_, err = e.stdout.Write(out.Bytes())
	return err
}

var exportFormats = map[string]func(*record.Sheet, *bytes.Buffer, bot.Lang) error{
	"md":       func(s *record.Sheet, b *bytes.Buffer, l bot.Lang) error { return s.Markdown(b, l) },
	"markdown": func(s *record.Sheet, b *bytes.Buffer, l bot.Lang) error { return s.Markdown(b, l) },
	"csv":      func(s *record.Sheet, b *bytes.Buffer, l bot.Lang) error { return s.CSV(b, l) },
	"json":     func(s *record.Sheet, b *bytes.Buffer, _ bot.Lang) error { return s.JSON(b) },
}

// splitArgs separates flags from positional arguments, so that
// "export COL-3 --format csv" works as people type it: the flag package
// alone stops at the first positional argument. Every flag of export
// takes a value, except -h/-help.
func splitArgs(args []string) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(positional, args[i+1:]...)
		case len(a) < 2 || a[0] != '-':
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && name != "h" && name != "help" && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, positional
}
