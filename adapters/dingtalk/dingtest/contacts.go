package dingtest

import (
	"net/http"
	"slices"
	"sync"
	"testing"
)

// Department is a department of the fake organisation's contact
// directory (通讯录). The organisation itself is department 1.
type Department struct {
	ID     int64
	Name   string
	Parent int64 // 1 for a top-level department
}

// Member is someone in the fake organisation's contact directory.
type Member struct {
	UserID      string // the staff id the robot and the Stream frames use
	Name        string
	Departments []int64 // 1 for someone directly under the organisation
	Leads       []int64 // departments whose leader (主管) they are
	OrgEmail    string  // org_email, the company mailbox
	Email       string  // email, what the person typed in their profile
	Mobile      string  // mobile (needs the 手机号 permission)
}

// contacts is the fake's contact directory. It lives beside the Fake
// rather than in it so that the endpoints stay in this file; guarded by
// the Fake's mu.
type contacts struct {
	depts []Department
	users []Member
	page  int            // at most this many users per page; 0 for what is asked
	calls map[string]int // contact API calls by path
}

var (
	contactsMu sync.Mutex
	contactsOf = map[*Fake]*contacts{}
)

// registerContacts serves the contact API on mux: the legacy endpoints
// topapi/v2/department/listsub and topapi/v2/user/list, access token in
// the query, errors as errcode in an HTTP 200, as DingTalk answers them.
func registerContacts(t testing.TB, f *Fake, mux *http.ServeMux) {
	contactsMu.Lock()
	contactsOf[f] = &contacts{calls: map[string]int{}}
	contactsMu.Unlock()
	t.Cleanup(func() {
		contactsMu.Lock()
		delete(contactsOf, f)
		contactsMu.Unlock()
	})
	mux.HandleFunc("POST /topapi/v2/department/listsub", f.listSub)
	mux.HandleFunc("POST /topapi/v2/user/list", f.userList)
}

func (f *Fake) contacts() *contacts {
	contactsMu.Lock()
	defer contactsMu.Unlock()
	return contactsOf[f]
}

// SetDirectory replaces the organisation's departments and users.
func (f *Fake) SetDirectory(depts []Department, users []Member) {
	c := f.contacts()
	f.mu.Lock()
	defer f.mu.Unlock()
	c.depts, c.users = slices.Clone(depts), slices.Clone(users)
}

// SetUserPage makes topapi/v2/user/list answer at most n users a page,
// whatever size is asked, so that paging shows with a few users.
func (f *Fake) SetUserPage(n int) {
	c := f.contacts()
	f.mu.Lock()
	defer f.mu.Unlock()
	c.page = n
}

// ContactCalls is how many times the contact API path was called.
func (f *Fake) ContactCalls(path string) int {
	c := f.contacts()
	f.mu.Lock()
	defer f.mu.Unlock()
	return c.calls[path]
}

// contactCall checks the access token in the query and counts the call;
// it answers DingTalk's legacy error and reports false when the call is
// refused. Call with mu held.
func (f *Fake) contactCall(w http.ResponseWriter, r *http.Request, c *contacts, in any) bool {
	c.calls[r.URL.Path]++
	exp, ok := f.tokens[r.URL.Query().Get("access_token")]
	if !ok || !f.now().Before(exp) {
		writeJSON(w, 200, map[string]any{"errcode": 40014, "errmsg": "不合法的access_token"})
		return false
	}
	if err := readJSON(r, in); err != nil {
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "不合法的参数: " + err.Error()})
		return false
	}
	return true
}

func (c *contacts) known(id int64) bool {
	return id == 1 || slices.ContainsFunc(c.depts, func(d Department) bool { return d.ID == id })
}

func (f *Fake) listSub(w http.ResponseWriter, r *http.Request) {
	c := f.contacts()
	f.mu.Lock()
	defer f.mu.Unlock()
	var in struct {
		DeptID int64 `json:"dept_id"`
	}
	if !f.contactCall(w, r, c, &in) {
		return
	}
	if !c.known(in.DeptID) {
		writeJSON(w, 200, map[string]any{"errcode": 60003, "errmsg": "部门不存在"})
		return
	}
	result := []map[string]any{}
	for _, d := range c.depts {
		if d.Parent == in.DeptID {
			result = append(result, map[string]any{"dept_id": d.ID, "name": d.Name, "parent_id": d.Parent,
				"create_dept_group": false, "auto_add_user": false})
		}
	}
	writeJSON(w, 200, map[string]any{"errcode": 0, "errmsg": "ok", "result": result, "request_id": f.nextID("req-")})
}

func (f *Fake) userList(w http.ResponseWriter, r *http.Request) {
	c := f.contacts()
	f.mu.Lock()
	defer f.mu.Unlock()
	var in struct {
		DeptID int64 `json:"dept_id"`
		Cursor int64 `json:"cursor"`
		Size   int   `json:"size"`
	}
	if !f.contactCall(w, r, c, &in) {
		return
	}
	switch {
	case !c.known(in.DeptID):
		writeJSON(w, 200, map[string]any{"errcode": 60003, "errmsg": "部门不存在"})
		return
	case in.Size <= 0 || in.Size > 100 || in.Cursor < 0:
		writeJSON(w, 200, map[string]any{"errcode": 40035, "errmsg": "不合法的参数: size must be 1 to 100"})
		return
	}
	var members []Member
	for _, u := range c.users {
		if slices.Contains(u.Departments, in.DeptID) {
			members = append(members, u)
		}
	}
	size := in.Size
	if c.page > 0 {
		size = min(size, c.page)
	}
	from := min(int(in.Cursor), len(members))
	to := min(from+size, len(members))
	list := []map[string]any{}
	for _, u := range members[from:to] {
		list = append(list, map[string]any{"userid": u.UserID, "unionid": "union-" + u.UserID, "name": u.Name,
			"leader": slices.Contains(u.Leads, in.DeptID), "dept_id_list": u.Departments, "active": true,
			"org_email": u.OrgEmail, "email": u.Email, "mobile": u.Mobile})
	}
	result := map[string]any{"has_more": to < len(members), "list": list}
	if to < len(members) {
		result["next_cursor"] = to
	}
	writeJSON(w, 200, map[string]any{"errcode": 0, "errmsg": "ok", "result": result, "request_id": f.nextID("req-")})
}
