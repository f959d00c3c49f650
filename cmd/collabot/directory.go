package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	dingtalkadapter "github.com/collabot/collabot/adapters/dingtalk"
	slackadapter "github.com/collabot/collabot/adapters/slack"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/store"
)

const directorySynopsis = "collabot directory sync [--dry-run] [--config FILE]"

// directoryCmd runs `collabot directory sync`: it reads the organisation
// from the configured platforms' own directories into the store, where
// every process merges it under the configuration. --dry-run prints what
// it would change and where the platforms disagree with the
// configuration, and writes nothing.
func directoryCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "sync" {
		return fmt.Errorf("%w: name what to do with the directory\n%s", errUsage, directorySynopsis)
	}
	var dry bool
	if _, err := e.flags("directory sync", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&dry, "dry-run", false, "print what the sync would change and its conflicts with the configuration; write nothing")
	}); err != nil {
		return err
	}
	var store directoryStore = noDatabase{}
	// A dry run on a machine without a database compares with nothing
	// rather than create one.
	if !dry || !dbMissing(e.cfg) {
		db, err := openDatabase(ctx, e, nil)
		if err != nil {
			return err
		}
		defer db.Close()
		// A database from an older build is brought up to date rather than
		// read with a schema it does not have.
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		store = db
	}
	rep, err := syncDirectory(ctx, e.cfg, store, e.log.WithGroup("directory"), dry)
	if err != nil {
		return err
	}
	rep.print(e.stdout, e.cfg.Directory())
	return nil
}

// directoryStore keeps what the platforms' directories said last time
// (store.Directory, which every store.Backend keeps).
type directoryStore = store.Directory

// noDatabase is the store of a dry run before any database exists: it
// knows nothing.
type noDatabase struct{}

func (noDatabase) Synced(context.Context, bot.Workspace) (bot.Synced, int64, error) {
	return bot.Synced{}, 0, nil
}

func (noDatabase) SaveSynced(context.Context, bot.Workspace, bot.Synced) (bot.SyncDiff, error) {
	return bot.SyncDiff{}, errors.New("a dry run writes nothing")
}

// directoryReport is what one sync read, changed and found in conflict.
type directoryReport struct {
	dry       bool
	read      []platformRead
	diff      bot.SyncDiff
	after     bot.Synced // what the store knows once the sync is written
	conflicts []bot.Conflict
}

type platformRead struct {
	platform bot.Platform
	synced   bot.Synced
}

// syncDirectory reads the directories of the platforms with credentials
// and, unless dry, writes them to the store. Conflicts with the
// configuration are logged as warnings either way.
func syncDirectory(ctx context.Context, cfg *config.Config, store directoryStore, log *slog.Logger, dry bool) (*directoryReport, error) {
	ws := bot.Workspace(cfg.Workspace)
	rep := &directoryReport{dry: dry}
	if cfg.DingTalk.ClientID != "" && cfg.DingTalk.ClientSecret != "" {
		s, err := dingtalkadapter.ReadDirectory(ctx, dingtalkadapter.DirectoryOptions{ClientID: cfg.DingTalk.ClientID,
			ClientSecret: cfg.DingTalk.ClientSecret, APIURL: cfg.DingTalk.APIURL, Log: log})
		if err != nil {
			return nil, err
		}
		rep.read = append(rep.read, platformRead{bot.DingTalk, s})
	}
	if cfg.Slack.BotToken != "" {
		s, err := slackadapter.ReadDirectory(ctx, slackadapter.DirectoryOptions{BotToken: cfg.Slack.BotToken,
			APIURL: cfg.Slack.APIURL, Groups: cfg.PlatformDirectory.SlackGroups, Log: log})
		if err != nil {
			return nil, err
		}
		rep.read = append(rep.read, platformRead{bot.Slack, s})
	}
	if len(rep.read) == 0 {
		return nil, errors.New("no platform to read a directory from: set COLLABOT_DINGTALK_CLIENT_ID with " +
			"COLLABOT_DINGTALK_CLIENT_SECRET, or COLLABOT_SLACK_BOT_TOKEN")
	}
	var read bot.Synced
	for _, r := range rep.read {
		if len(r.synced.People) == 0 {
			// An app without the contact permissions sees an empty
			// organisation; taking that at its word would mark everyone gone.
			return nil, fmt.Errorf("%s's directory lists nobody: check the app's permission to read contacts "+
				"(DingTalk: 通讯录 read permissions; Slack: users:read); nothing was written", r.platform)
		}
		read.Departments = append(read.Departments, r.synced.Departments...)
		read.People = append(read.People, r.synced.People...)
	}
	old, _, err := store.Synced(ctx, ws)
	if err != nil {
		return nil, err
	}
	if dry {
		rep.diff = bot.DiffSynced(old, read)
	} else if rep.diff, err = store.SaveSynced(ctx, ws, read); err != nil {
		return nil, err
	}
	rep.after = applySynced(old, rep.diff)
	_, rep.conflicts = cfg.Directory().Merge(rep.after)
	for _, c := range rep.conflicts {
		log.Warn("the platform's directory disagrees with the configuration, which wins", "conflict", c.String())
	}
	if !dry {
		log.Info("directory synced", "departments_added", len(rep.diff.AddedDepartments), "people_added", len(rep.diff.Added),
			"people_changed", len(rep.diff.Changed), "people_gone", len(rep.diff.Gone), "conflicts", len(rep.conflicts))
	}
	return rep, nil
}

// applySynced is old with diff written over it: what the store holds
// after the sync (SaveSynced writes exactly this).
func applySynced(old bot.Synced, d bot.SyncDiff) bot.Synced {
	depts := map[string]bot.SyncedDepartment{}
	var deptOrder []string
	putDept := func(sd bot.SyncedDepartment) {
		if _, ok := depts[sd.Key()]; !ok {
			deptOrder = append(deptOrder, sd.Key())
		}
		depts[sd.Key()] = sd
	}
	people := map[bot.Identity]bot.SyncedPerson{}
	var order []bot.Identity
	put := func(p bot.SyncedPerson) {
		if _, ok := people[p.Account]; !ok {
			order = append(order, p.Account)
		}
		people[p.Account] = p
	}
	for _, sd := range old.Departments {
		putDept(sd)
	}
	for _, l := range [][]bot.SyncedDepartment{d.AddedDepartments, d.ChangedDepartments, d.GoneDepartments} {
		for _, sd := range l {
			putDept(sd)
		}
	}
	for _, p := range old.People {
		put(p)
	}
	for _, l := range [][]bot.SyncedPerson{d.Added, d.Changed, d.Gone} {
		for _, p := range l {
			put(p)
		}
	}
	var out bot.Synced
	for _, k := range deptOrder {
		out.Departments = append(out.Departments, depts[k])
	}
	for _, k := range order {
		out.People = append(out.People, people[k])
	}
	return out
}

// platformTitle is how the report names a platform.
var platformTitle = map[bot.Platform]string{bot.DingTalk: "DingTalk", bot.Slack: "Slack"}

// print writes the report for the operator: what was read, what the sync
// changes (or would), and the conflicts with the configuration. Like the
// other subcommands' output it is English; names are as the platforms
// and the configuration write them.
func (r *directoryReport) print(w io.Writer, configured *bot.Directory) {
	for _, pr := range r.read {
		units := count(len(pr.synced.Departments), "department", "departments")
		if pr.platform == bot.Slack {
			units = count(len(pr.synced.Departments), "user group", "user groups") + " mapped to departments"
		}
		fmt.Fprintf(w, "Read from %s: %s, %s.\n", platformTitle[pr.platform], units, count(len(pr.synced.People), "person", "people"))
	}
	verb := map[bool][3]string{true: {"to add", "to change", "that would be marked gone"}, false: {"added", "changed", "marked gone"}}[r.dry]
	switch {
	case r.dry && r.diff.Empty():
		fmt.Fprintln(w, "Dry run: nothing was written. A sync would change nothing.")
	case r.dry:
		fmt.Fprintln(w, "Dry run: nothing was written. A sync would make these changes.")
	case r.diff.Empty():
		fmt.Fprintln(w, "Nothing changed.")
	default:
		fmt.Fprintln(w, "Written to the store.")
	}
	names := map[string]string{} // "dingtalk:100" -> department name, as the organisation calls it
	for _, sd := range r.after.Departments {
		names[sd.Key()] = sd.Name
		if d, ok := configured.Department(sd.Name); ok {
			names[sd.Key()] = d.Name
		}
	}
	deptLines := func(title string, mark string, l []bot.SyncedDepartment, note bool) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(w, "\nDepartments %s (%d):\n", title, len(l))
		for _, sd := range l {
			extra := ""
			if note {
				extra = ", new department"
				if _, ok := configured.Department(sd.Name); ok {
					extra = ", configured"
				}
			}
			fmt.Fprintf(w, "  %s %s (%s%s)\n", mark, names[sd.Key()], sd.Key(), extra)
		}
	}
	deptLines(verb[0], "+", r.diff.AddedDepartments, true)
	deptLines(verb[1], "~", r.diff.ChangedDepartments, true)
	deptLines(verb[2], "-", r.diff.GoneDepartments, false)

	merged, _ := configured.Merge(r.after)
	where := func(p bot.SyncedPerson) string {
		if cp, ok := configured.ByIdentity(p.Account.Platform, p.Account.ID); ok {
			return "configured as " + string(cp.ID)
		}
		in := deptNames(p, p.Departments, names)
		s := strings.Join(in, ", ")
		if s == "" {
			s = "no department"
		}
		if mp, ok := merged.ByIdentity(p.Account.Platform, p.Account.ID); ok && mp.ID != p.ID() {
			s = "same person as " + string(mp.ID) + " (same email or mobile); " + s
		}
		if leads := deptNames(p, p.Leads, names); len(leads) > 0 {
			s += " (leads " + strings.Join(leads, ", ") + ")"
		}
		return s
	}
	personLines := func(title, mark string, l []bot.SyncedPerson, show func(bot.SyncedPerson) string) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(w, "\nPeople %s (%d):\n", title, len(l))
		for _, p := range l {
			fmt.Fprintf(w, "  %s %s:%s %s%s\n", mark, p.Account.Platform, p.Account.ID, p.Name, show(p))
		}
	}
	personLines(verb[0], "+", r.diff.Added, func(p bot.SyncedPerson) string { return " → " + where(p) })
	personLines(verb[1], "~", r.diff.Changed, func(p bot.SyncedPerson) string {
		was := r.diff.Was[p.Account]
		s := " → " + where(p)
		switch {
		case was.Gone:
			s += " (back)"
		case was.Name != p.Name:
			s += " (was " + was.Name + ")"
		default:
			if in := deptNames(was, was.Departments, names); len(in) > 0 {
				s += " (was in " + strings.Join(in, ", ") + ")"
			}
		}
		return s
	})
	personLines(verb[2], "-", r.diff.Gone, func(bot.SyncedPerson) string { return " (kept in the records)" })

	if len(r.conflicts) > 0 {
		fmt.Fprintf(w, "\nConflicts with the configuration (%d); the configuration wins:\n", len(r.conflicts))
		for _, c := range r.conflicts {
			fmt.Fprintf(w, "  ! %s\n", c)
		}
	}
}

// count is "1 person", "3 people".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func deptNames(p bot.SyncedPerson, ids []string, names map[string]string) []string {
	var out []string
	for _, id := range ids {
		if n, ok := names[string(p.Account.Platform)+":"+id]; ok && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
