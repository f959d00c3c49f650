package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
)

// DirectoryOptions configure ReadDirectory. BotToken is required; the
// app needs the users:read and usergroups:read scopes.
type DirectoryOptions struct {
	BotToken   string
	APIURL     string // default Slack's own; tests point it at slackfake
	HTTPClient *http.Client
	// Groups are the user groups that are departments: a group's handle
	// ("rd", without the @) or id ("S0RD") to the department's name.
	// Slack has no departments of its own; groups not named here are
	// ignored.
	Groups map[string]string
	// PageSize is users.list's limit (default 200, Slack's advice).
	PageSize int
	Log      *slog.Logger
}

// directoryAPI is the part of slack-go ReadDirectory calls.
type directoryAPI interface {
	GetUsersContext(ctx context.Context, options ...slack.GetUsersOption) ([]slack.User, error)
	GetUserGroupsContext(ctx context.Context, options ...slack.GetUserGroupsOption) ([]slack.UserGroup, error)
	GetUserGroupMembersContext(ctx context.Context, group string, options ...slack.GetUserGroupMembersOption) ([]string, error)
}

// ReadDirectory reads Slack's people (users.list, every page by cursor,
// waiting out rate limits) and, for the user groups Groups maps, their
// members (usergroups.list, usergroups.users.list) as departments. Bots,
// Slackbot and deactivated accounts are not people: an account
// deactivated since the last sync is then gone.
func ReadDirectory(ctx context.Context, o DirectoryOptions) (bot.Synced, error) {
	if o.BotToken == "" {
		return bot.Synced{}, errors.New("slack: directory: a bot token is required")
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	opts := []slack.Option{slack.OptionHTTPClient(o.HTTPClient)}
	if o.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(o.APIURL))
	}
	return readDirectory(ctx, slack.New(o.BotToken, opts...), o)
}

func readDirectory(ctx context.Context, api directoryAPI, o DirectoryOptions) (bot.Synced, error) {
	var out bot.Synced
	limit := o.PageSize
	if limit <= 0 {
		limit = 200
	}
	users, err := api.GetUsersContext(ctx, slack.GetUsersOptionLimit(limit), slack.GetUsersOptionIncludeLocale(false))
	if err != nil {
		return out, fmt.Errorf("slack: users.list: %w", err)
	}
	index := map[string]int{}
	for _, u := range users {
		if u.Deleted || u.IsBot || u.IsAppUser || u.ID == "USLACKBOT" || u.ID == "" {
			continue
		}
		if _, dup := index[u.ID]; dup {
			continue
		}
		index[u.ID] = len(out.People)
		// The email Slack verifies tells the same person on DingTalk;
		// profile.phone is free text anyone can set to a colleague's
		// number, so it is not read.
		out.People = append(out.People, bot.SyncedPerson{Account: bot.Identity{Platform: bot.Slack, ID: u.ID}, Name: displayName(u),
			Email: u.Profile.Email})
	}
	if len(o.Groups) == 0 {
		return out, nil
	}
	var groups []slack.UserGroup
	err = retryLimited(ctx, func() (err error) {
		groups, err = api.GetUserGroupsContext(ctx)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("slack: usergroups.list: %w", err)
	}
	found := map[string]bool{}
	for _, g := range groups {
		name, key := o.Groups[g.ID], g.ID
		if name == "" {
			name, key = o.Groups[g.Handle], g.Handle
		}
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found[key] = true
		var members []string
		err := retryLimited(ctx, func() (err error) {
			members, err = api.GetUserGroupMembersContext(ctx, g.ID)
			return err
		})
		if err != nil {
			return out, fmt.Errorf("slack: usergroups.users.list %s: %w", g.Handle, err)
		}
		out.Departments = append(out.Departments, bot.SyncedDepartment{Platform: bot.Slack, ID: g.ID, Name: name})
		for _, m := range members {
			if i, ok := index[m]; ok && !slices.Contains(out.People[i].Departments, g.ID) {
				out.People[i].Departments = append(out.People[i].Departments, g.ID)
			}
		}
	}
	for key := range o.Groups {
		if !found[key] {
			o.Log.Warn("a Slack user group mapped to a department was not found (a handle without @, or an id S…)",
				"group", key, "department", o.Groups[key])
		}
	}
	for i := range out.People {
		slices.Sort(out.People[i].Departments)
	}
	return out, nil
}

// displayName is how Slack shows a person: their real name, else their
// display name, else their handle.
func displayName(u slack.User) string {
	for _, n := range []string{u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return u.ID
}

// maxLimited is how many rate limits one call waits out before the
// sync gives up (it runs again the next day).
const maxLimited = 5

// retryLimited runs call again after each Retry-After Slack answers.
func retryLimited(ctx context.Context, call func() error) error {
	for n := 0; ; n++ {
		err := call()
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) || n >= maxLimited {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(rl.RetryAfter, time.Minute)):
		}
	}
}
