package slackfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Member is an account of the fake workspace as users.list lists it.
type Member struct {
	ID      string // U…
	Name    string // the real name
	Deleted bool   // deactivated
	Bot     bool
	Email   string // profile.email (users:read.email)
	Phone   string // profile.phone
}

// Group is a user group (@rd): usergroups.list and usergroups.users.list.
type Group struct {
	ID     string // S…
	Handle string // without the @
	Name   string
	Users  []string
}

// directory is the fake's people and user groups, beside the Server so
// that its methods stay in this file; guarded by the Server's mu.
type directory struct {
	members []Member
	groups  []Group
	page    int // users.list answers at most this many a page; 0 for the limit asked
}

var (
	directoriesMu sync.Mutex
	directories   = map[*Server]*directory{}
)

// registerDirectory serves users.list (paged by cursor), usergroups.list
// and usergroups.users.list; they throttle and fail like every method
// (SetThrottle, Fail) and count as calls.
func registerDirectory(f *Server, mux *http.ServeMux) {
	directoriesMu.Lock()
	directories[f] = &directory{}
	directoriesMu.Unlock()
	f.t.Cleanup(func() {
		directoriesMu.Lock()
		delete(directories, f)
		directoriesMu.Unlock()
	})
	for _, m := range []string{"users.list", "usergroups.list", "usergroups.users.list"} {
		mux.HandleFunc("/api/"+m, f.directoryMethod(m))
	}
}

func (f *Server) directory() *directory {
	directoriesMu.Lock()
	defer directoriesMu.Unlock()
	return directories[f]
}

// SetMembers replaces the workspace's accounts as users.list lists them;
// users.info names them too.
func (f *Server) SetMembers(members []Member) {
	d := f.directory()
	f.mu.Lock()
	defer f.mu.Unlock()
	d.members = slices.Clone(members)
	for _, m := range members {
		f.users[m.ID] = m.Name
	}
}

// SetGroups replaces the workspace's user groups.
func (f *Server) SetGroups(groups []Group) {
	d := f.directory()
	f.mu.Lock()
	defer f.mu.Unlock()
	d.groups = slices.Clone(groups)
}

// SetUserPage makes users.list answer at most n accounts a page, so that
// paging shows with a few.
func (f *Server) SetUserPage(n int) {
	d := f.directory()
	f.mu.Lock()
	defer f.mu.Unlock()
	d.page = n
}

func (f *Server) directoryMethod(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		for k, v := range r.URL.Query() {
			form[k] = v
		}
		d := f.directory()
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, Call{method, form})
		defer f.notify()
		if secs := f.throttle[method]; secs > 0 {
			delete(f.throttle, method)
			f.throttled++
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		out := map[string]any{"ok": true}
		if code := f.failures[method]; code != "" {
			delete(f.failures, method)
			out = map[string]any{"ok": false, "error": code}
		} else {
			switch method {
			case "users.list":
				out = d.usersList(form)
			case "usergroups.list":
				out["usergroups"] = d.groupList(form.Get("include_users") == "true")
			case "usergroups.users.list":
				out = d.groupUsers(form.Get("usergroup"))
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}
}

// usersList answers one page; the cursor is opaque to the client, as
// Slack's is, and empty on the last page.
func (d *directory) usersList(form url.Values) map[string]any {
	limit, _ := strconv.Atoi(form.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	if d.page > 0 {
		limit = min(limit, d.page)
	}
	from := 0
	if c := form.Get("cursor"); c != "" {
		raw, err := base64.StdEncoding.DecodeString(c)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "user:"))
		if err != nil || err2 != nil || n < 0 || n > len(d.members) {
			return map[string]any{"ok": false, "error": "invalid_cursor"}
		}
		from = n
	}
	to := min(from+limit, len(d.members))
	members := []map[string]any{}
	for _, m := range d.members[from:to] {
		members = append(members, map[string]any{"id": m.ID, "team_id": TeamID, "name": strings.ToLower(m.ID),
			"deleted": m.Deleted, "real_name": m.Name, "is_bot": m.Bot,
			"profile": map[string]any{"real_name": m.Name, "display_name": m.Name, "email": m.Email, "phone": m.Phone}})
	}
	next := ""
	if to < len(d.members) {
		next = base64.StdEncoding.EncodeToString([]byte("user:" + strconv.Itoa(to)))
	}
	return map[string]any{"ok": true, "members": members, "response_metadata": map[string]any{"next_cursor": next}}
}

func (d *directory) groupList(withUsers bool) []map[string]any {
	out := []map[string]any{}
	for _, g := range d.groups {
		v := map[string]any{"id": g.ID, "team_id": TeamID, "is_usergroup": true, "name": g.Name, "handle": g.Handle,
			"user_count": len(g.Users)}
		if withUsers {
			v["users"] = g.Users
		}
		out = append(out, v)
	}
	return out
}

func (d *directory) groupUsers(id string) map[string]any {
	for _, g := range d.groups {
		if g.ID == id {
			return map[string]any{"ok": true, "users": append([]string{}, g.Users...)}
		}
	}
	return map[string]any{"ok": false, "error": "no_such_subteam"}
}
