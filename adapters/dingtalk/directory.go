package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// DefaultOAPIURL is the host of DingTalk's contact API (通讯录), which
// lives on the legacy endpoints (topapi/v2/...) and takes the same access
// token as the v1.0 OpenAPI.
const DefaultOAPIURL = "https://oapi.dingtalk.com"

// RootDepartment is the id of the whole organisation in DingTalk's
// contact API: the company itself, not a department people collaborate
// across.
const RootDepartment = 1

// DirectoryOptions configure ReadDirectory. ClientID and ClientSecret
// are required; the app needs the contact read permissions
// (通讯录部门信息读权限, 成员信息读权限).
type DirectoryOptions struct {
	ClientID     string
	ClientSecret string
	APIURL       string // the v1.0 OpenAPI host, for the access token; default DefaultAPIURL
	// OAPIURL is the contact API's host. Default: DefaultOAPIURL when
	// APIURL is DingTalk's own, else APIURL (a local fake or a proxy
	// serves both).
	OAPIURL    string
	HTTPClient *http.Client
	Clock      bot.Clock
	Log        *slog.Logger
	// PageSize is how many users one topapi/v2/user/list call asks for
	// (DingTalk allows at most 100, the default).
	PageSize int
}

// ReadDirectory reads DingTalk's organisation: every department under
// the root (topapi/v2/department/listsub, level by level) and the users
// of each (topapi/v2/user/list, paged by cursor). A user listed in
// several departments is one person in all of them; the departments whose
// listing marks them leader (主管) are the ones they lead.
func ReadDirectory(ctx context.Context, o DirectoryOptions) (bot.Synced, error) {
	if o.ClientID == "" || o.ClientSecret == "" {
		return bot.Synced{}, errors.New("dingtalk: directory: client id and client secret are required")
	}
	if o.APIURL == "" {
		o.APIURL = DefaultAPIURL
	}
	o.APIURL = strings.TrimRight(o.APIURL, "/")
	if o.OAPIURL == "" {
		o.OAPIURL = DefaultOAPIURL
		if o.APIURL != DefaultAPIURL {
			o.OAPIURL = o.APIURL
		}
	}
	o.OAPIURL = strings.TrimRight(o.OAPIURL, "/")
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Clock == nil {
		o.Clock = bot.SystemClock
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.PageSize <= 0 || o.PageSize > 100 {
		o.PageSize = 100
	}
	c := &contacts{api: &openAPI{base: o.APIURL, appKey: o.ClientID, appSecret: o.ClientSecret,
		http: o.HTTPClient, clock: o.Clock, log: o.Log.WithGroup("dingtalk")}, oapi: o.OAPIURL, size: o.PageSize}
	return c.read(ctx)
}

// contacts calls the contact API.
type contacts struct {
	api  *openAPI
	oapi string
	size int
}

type dingDept struct {
	ID     int64  `json:"dept_id"`
	Name   string `json:"name"`
	Parent int64  `json:"parent_id"`
}

type dingUser struct {
	UserID string `json:"userid"`
	Name   string `json:"name"`
	Leader bool   `json:"leader"`
	// Where the app may read them. Only org_email, the mailbox the
	// company gives, tells the same person on Slack: email is what the
	// person typed in their profile, and anyone could type a colleague's.
	OrgEmail string `json:"org_email"`
	Mobile   string `json:"mobile"`
}

// maxDepartments bounds the walk, against a listing that loops.
const maxDepartments = 20000

func (c *contacts) read(ctx context.Context) (bot.Synced, error) {
	var out bot.Synced
	queue := []int64{RootDepartment}
	seen := map[int64]bool{RootDepartment: true}
	for len(queue) > 0 {
		parent := queue[0]
		queue = queue[1:]
		var subs []dingDept
		if err := c.call(ctx, "/topapi/v2/department/listsub", map[string]any{"dept_id": parent, "language": "zh_CN"}, &subs); err != nil {
			return bot.Synced{}, fmt.Errorf("dingtalk: departments under %d: %w", parent, err)
		}
		for _, d := range subs {
			if seen[d.ID] {
				continue
			}
			if len(seen) >= maxDepartments {
				return bot.Synced{}, fmt.Errorf("dingtalk: more than %d departments", maxDepartments)
			}
			seen[d.ID] = true
			queue = append(queue, d.ID)
			out.Departments = append(out.Departments, bot.SyncedDepartment{Platform: bot.DingTalk, ID: strconv.FormatInt(d.ID, 10), Name: strings.TrimSpace(d.Name)})
		}
	}
	people := map[string]*bot.SyncedPerson{}
	var order []string
	for _, dept := range append([]int64{RootDepartment}, idsOf(out.Departments)...) {
		var cursor int64
		for page := 0; ; page++ {
			var res struct {
				HasMore    bool       `json:"has_more"`
				NextCursor int64      `json:"next_cursor"`
				List       []dingUser `json:"list"`
			}
			err := c.call(ctx, "/topapi/v2/user/list", map[string]any{"dept_id": dept, "cursor": cursor, "size": c.size,
				"language": "zh_CN", "contain_access_limit": false}, &res)
			if err != nil {
				return bot.Synced{}, fmt.Errorf("dingtalk: users of department %d: %w", dept, err)
			}
			for _, u := range res.List {
				if u.UserID == "" {
					continue
				}
				p := people[u.UserID]
				if p == nil {
					p = &bot.SyncedPerson{Account: bot.Identity{Platform: bot.DingTalk, ID: u.UserID}, Name: strings.TrimSpace(u.Name),
						Email: u.OrgEmail, Mobile: u.Mobile}
					people[u.UserID] = p
					order = append(order, u.UserID)
				}
				if dept == RootDepartment {
					continue // the company itself is nobody's department
				}
				id := strconv.FormatInt(dept, 10)
				if !slices.Contains(p.Departments, id) {
					p.Departments = append(p.Departments, id)
				}
				if u.Leader && !slices.Contains(p.Leads, id) {
					p.Leads = append(p.Leads, id)
				}
			}
			if !res.HasMore || page > 10000 {
				break
			}
			if res.NextCursor <= cursor {
				return bot.Synced{}, fmt.Errorf("dingtalk: users of department %d: the cursor did not move (%d)", dept, res.NextCursor)
			}
			cursor = res.NextCursor
		}
	}
	for _, id := range order {
		p := people[id]
		slices.Sort(p.Departments)
		slices.Sort(p.Leads)
		out.People = append(out.People, *p)
	}
	return out, nil
}

func idsOf(depts []bot.SyncedDepartment) []int64 {
	out := make([]int64, 0, len(depts))
	for _, d := range depts {
		n, _ := strconv.ParseInt(d.ID, 10, 64) // we wrote it from an int64
		out = append(out, n)
	}
	return out
}

// maxThrottled is how many times one call waits out DingTalk's flow
// control before the sync gives up (it runs again tomorrow).
const maxThrottled = 5

// call posts to a contact API method with the access token in the query,
// as the legacy endpoints take it, and decodes its result. An invalid
// token is fetched again once; flow control is waited out.
func (c *contacts) call(ctx context.Context, path string, body, result any) error {
	var out struct {
		Result any `json:"result"`
	}
	out.Result = result
	refreshed := false
	for throttled := 0; ; {
		tok, err := c.api.token(ctx)
		if err != nil {
			return err
		}
		err = c.api.post(ctx, c.oapi+path+"?access_token="+url.QueryEscape(tok), "", body, &out)
		e := asAPIError(err)
		switch {
		case e != nil && e.tokenInvalid() && !refreshed:
			c.api.invalidate(tok)
			refreshed = true
			continue
		case e != nil && throttled < maxThrottled:
			if after, ok := e.throttle(); ok {
				throttled++
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(min(after, 10*time.Second)):
				}
				continue
			}
		}
		return err
	}
}
