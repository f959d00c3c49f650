package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/collabot/collabot/internal/database"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func printVersion(_ context.Context, e *env, _ []string) error {
	fmt.Fprintf(e.stdout, "collabot %s (%s %s/%s)\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}

func migrate(ctx context.Context, e *env, args []string) error {
	var m moveFlags
	if _, err := e.flags("migrate", args, m.define); err != nil {
		return err
	}
	if m.wanted() {
		return move(ctx, e, m)
	}
	// Unsealed: the schema is every workspace's.
	store, err := database.Open(ctx, dbAddr(e.cfg), database.Options{Log: e.log})
	if err != nil {
		return err
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	path := dbName(e.cfg)
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "%s is up to date\n", path)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s: applied %s\n", path, strings.Join(applied, ", "))
	return nil
}
