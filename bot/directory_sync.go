package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Synced is the organisation as the chat platforms' own directories know
// it — DingTalk's departments and users, Slack's users and the user
// groups mapped to departments — as `collabot directory sync` last read
// it. It is merged under the configuration (see Directory.Merge): the
// configuration wins wherever both speak.
type Synced struct {
	Departments []SyncedDepartment `json:"departments,omitempty"`
	People      []SyncedPerson     `json:"people,omitempty"`
}

// SyncedDepartment is a department on a platform: a DingTalk department
// or a Slack user group mapped to a department name.
type SyncedDepartment struct {
	Platform Platform `json:"platform"`
	ID       string   `json:"id"` // the platform's id ("100", "S0RD")
	Name     string   `json:"name"`
	// Gone is true once a sync no longer found it; the row is kept.
	Gone bool `json:"gone,omitempty"`
}

// Key is the department's platform account, "dingtalk:100".
func (d SyncedDepartment) Key() string { return string(d.Platform) + ":" + d.ID }

// SyncedPerson is a platform account and where the platform puts it.
type SyncedPerson struct {
	Account     Identity `json:"account"`
	Name        string   `json:"name"`
	Departments []string `json:"departments,omitempty"` // platform ids of their departments, sorted
	Leads       []string `json:"leads,omitempty"`       // of those, the ones they lead (DingTalk's 主管), sorted
	// Gone is true once a sync no longer found them (left the company,
	// deactivated): their records stay, they belong to no department.
	Gone bool `json:"gone,omitempty"`
	// Email, where the platform gives one it verified (DingTalk's
	// org_email, Slack's account email), tells that two accounts on
	// different platforms are one person (see Merge). Mobile is kept as
	// read and never matched on.
	Email  string `json:"email,omitempty"`
	Mobile string `json:"mobile,omitempty"`
}

// ID is the person id of a synced account not in the configuration: the
// same as Newcomer's, so someone who wrote to the bot before the first
// sync keeps what they did.
func (p SyncedPerson) ID() PersonID { return PersonID(string(p.Account.Platform) + ":" + p.Account.ID) }

// Platforms lists the platforms s has accounts of.
func (s Synced) Platforms() []Platform {
	var out []Platform
	for _, p := range s.People {
		if !slices.Contains(out, p.Account.Platform) {
			out = append(out, p.Account.Platform)
		}
	}
	return out
}

// Conflict kinds: where the configuration and a platform disagree. The
// configuration wins every one of them.
const (
	// ConflictDepartment: a configured person the platform puts in other departments.
	ConflictDepartment = "department"
	// ConflictHead: a configured department whose head is not whom the platform names its leader.
	ConflictHead = "head"
	// ConflictUnknown: a configured head or contact whose account on the platform the platform does not list.
	ConflictUnknown = "unknown"
	// ConflictGone: a configured person whose account the platform no longer lists.
	ConflictGone = "gone"
)

// Conflict is one disagreement between the configuration and a platform.
type Conflict struct {
	Kind       string
	Person     PersonID
	Account    Identity
	Department string
	Config     []string // what the configuration says
	Platform   []string // what the platform says
}

// String is the conflict for an operator (the log, the dry run).
func (c Conflict) String() string {
	acct := string(c.Account.Platform) + ":" + c.Account.ID
	switch c.Kind {
	case ConflictDepartment:
		return fmt.Sprintf("%s (%s): configured in %s, %s puts them in %s", c.Person, acct,
			listOr(c.Config), c.Account.Platform, listOr(c.Platform))
	case ConflictHead:
		return fmt.Sprintf("%s: configured head %s, %s names %s", c.Department, c.Person, c.Account.Platform, listOr(c.Platform))
	case ConflictUnknown:
		return fmt.Sprintf("%s: configured %s %s (%s) is not in %s's directory", c.Department, listOr(c.Config), c.Person, acct, c.Account.Platform)
	case ConflictGone:
		return fmt.Sprintf("%s (%s): configured, but gone from %s's directory", c.Person, acct, c.Account.Platform)
	}
	return c.Kind + " " + string(c.Person)
}

func listOr(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

// Merge returns the organisation of d (the configuration) with the
// platforms' directory under it, and where the two disagree.
//
// The configuration wins: a configured person (found by a platform
// account the configuration gives them) keeps their name and departments;
// a configured department keeps its head, contact and aliases. What the
// configuration does not know is taken from the platform: an account
// nobody configured becomes a person of their own (id "dingtalk:…", as
// Newcomer names them) in the platform's departments — the configured
// department of that name, or a department of its own whose head is the
// platform's leader. An account gone from the platform stays a person,
// so records still show their name, but belongs to no department.
func (d *Directory) Merge(s Synced) (*Directory, []Conflict) {
	depts := slices.Clone(d.Departments)
	for i := range depts {
		depts[i].Members = slices.Clone(depts[i].Members)
	}
	people := slices.Clone(d.People)
	var conflicts []Conflict

	// The platform's departments by account, with the department of the
	// merged organisation each one is.
	deptOf := map[string]string{} // "dingtalk:100" -> department name
	added := map[string]int{}     // folded name -> index in depts of a department the platform adds
	for _, sd := range s.Departments {
		if sd.Gone || strings.TrimSpace(sd.Name) == "" {
			continue
		}
		if cd, ok := d.Department(sd.Name); ok {
			deptOf[sd.Key()] = cd.Name
			continue
		}
		key := FoldName(sd.Name)
		if _, ok := added[key]; !ok {
			added[key] = len(depts)
			depts = append(depts, Department{Name: strings.TrimSpace(sd.Name)})
		}
		deptOf[sd.Key()] = depts[added[key]].Name
	}
	names := func(p SyncedPerson, ids []string) []string {
		var out []string
		for _, id := range ids {
			if name, ok := deptOf[string(p.Account.Platform)+":"+id]; ok && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
		return out
	}

	index := make(map[string]int, len(depts)) // department name -> index in depts
	for i, dept := range depts {
		index[dept.Name] = i
	}
	listed := map[Identity]bool{} // accounts the platform lists and has not lost
	leaders := map[string][]PersonID{}
	sorted := slices.Clone(s.People)
	slices.SortFunc(sorted, func(a, b SyncedPerson) int {
		return cmp.Or(cmp.Compare(a.Account.Platform, b.Account.Platform), cmp.Compare(a.Account.ID, b.Account.ID))
	})
	one := d.samePeople(sorted)
	mine := map[PersonID]int{} // people the platforms add -> index in people
	for _, sp := range sorted {
		if !sp.Gone {
			listed[sp.Account] = true
		}
		platformDepts := names(sp, sp.Departments)
		if cp, ok := d.ByIdentity(sp.Account.Platform, sp.Account.ID); ok {
			// Configured: the configuration wins; only tell where it differs.
			if sp.Gone {
				conflicts = append(conflicts, Conflict{Kind: ConflictGone, Person: cp.ID, Account: sp.Account})
				continue
			}
			for _, name := range names(sp, sp.Leads) {
				leaders[name] = append(leaders[name], cp.ID)
			}
			mine := d.DepartmentsOf(cp.ID)
			if len(platformDepts) > 0 && !sameSet(mine, platformDepts) {
				conflicts = append(conflicts, Conflict{Kind: ConflictDepartment, Person: cp.ID, Account: sp.Account,
					Config: mine, Platform: platformDepts})
			}
			continue
		}
		id := sp.ID()
		if same, ok := one[sp.Account]; ok {
			id = same // the same person on another platform (same email or mobile)
		}
		if _, taken := d.Person(id); taken {
			continue
		}
		if at, ok := mine[id]; ok {
			people[at].Identities = append(people[at].Identities, sp.Account)
		} else {
			name := strings.TrimSpace(sp.Name)
			if name == "" {
				name = sp.Account.ID
			}
			mine[id] = len(people)
			people = append(people, Person{ID: id, Name: name, Identities: []Identity{sp.Account}})
		}
		if sp.Gone {
			continue
		}
		for _, dept := range platformDepts {
			i := index[dept]
			if !slices.Contains(depts[i].Members, id) {
				depts[i].Members = append(depts[i].Members, id)
			}
		}
		for _, dept := range names(sp, sp.Leads) {
			leaders[dept] = append(leaders[dept], id)
		}
	}

	synced := s.Platforms()
	for i := range depts {
		dept := &depts[i]
		lead := leaders[dept.Name]
		if i >= len(d.Departments) {
			// The platform's own department: its leader heads it, and
			// answers for it until a contact is named on a request. A
			// configured person's departments stay the configuration's,
			// so only a leader the configuration does not know heads it.
			for _, id := range lead {
				if slices.Contains(dept.Members, id) {
					dept.Head = id
					break
				}
			}
			continue
		}
		if dept.Head != "" && len(lead) > 0 && !slices.Contains(lead, dept.Head) {
			conflicts = append(conflicts, Conflict{Kind: ConflictHead, Department: dept.Name, Person: dept.Head,
				Account: Identity{Platform: platformOf(s, dept.Name, deptOf)}, Platform: personList(lead)})
		}
		for _, role := range []struct {
			name string
			who  PersonID
		}{{"head", dept.Head}, {"contact", dept.Contact}} {
			p, ok := d.Person(role.who)
			if role.who == "" || !ok {
				continue
			}
			for _, acct := range p.Identities {
				if slices.Contains(synced, acct.Platform) && !listed[acct] && !goneIn(s, acct) {
					conflicts = append(conflicts, Conflict{Kind: ConflictUnknown, Department: dept.Name, Person: role.who,
						Account: acct, Config: []string{role.name}})
				}
			}
		}
	}
	slices.SortStableFunc(conflicts, func(a, b Conflict) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Department, b.Department), cmp.Compare(a.Person, b.Person))
	})
	m := NewDirectory(d.Workspace, depts, d.Leadership, people)
	return m, conflicts
}

// goneIn reports whether acct is a gone account of s: that is told as
// ConflictGone already.
func goneIn(s Synced, acct Identity) bool {
	return slices.ContainsFunc(s.People, func(p SyncedPerson) bool { return p.Gone && p.Account == acct })
}

// platformOf is the platform whose department became name (the first).
func platformOf(s Synced, name string, deptOf map[string]string) Platform {
	for _, sd := range s.Departments {
		if n, ok := deptOf[sd.Key()]; ok && n == name {
			return sd.Platform
		}
	}
	return ""
}

func personList(ids []PersonID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// samePeople finds the accounts nobody configured that are one person on
// several platforms: the same verified email, each account the
// only one of its platform with it (two DingTalk accounts sharing a
// mailbox are not taken for one person). Each such account maps to the
// person id of the first of them in sorted order (the DingTalk account's,
// when there is one), so the merged person keeps that id from sync to
// sync.
func (d *Directory) samePeople(sorted []SyncedPerson) map[Identity]PersonID {
	byKey := map[string][]Identity{}
	for _, sp := range sorted {
		if sp.Gone {
			continue
		}
		if _, ok := d.ByIdentity(sp.Account.Platform, sp.Account.ID); ok {
			continue // configured: the configuration says who they are
		}
		for _, k := range matchKeys(sp) {
			byKey[k] = append(byKey[k], sp.Account)
		}
	}
	out := map[Identity]PersonID{}
	for _, sp := range sorted {
		for _, k := range matchKeys(sp) {
			accts := byKey[k]
			if len(accts) < 2 || accts[0] == sp.Account || !onePerPlatform(accts) {
				continue
			}
			if _, ok := out[accts[0]]; ok {
				continue // the first is itself merged into another: keep chains short
			}
			if _, ok := out[sp.Account]; !ok {
				out[sp.Account] = SyncedPerson{Account: accts[0]}.ID()
			}
		}
	}
	return out
}

// matchKeys are what tells an account's person: the email, folded —
// only a mailbox the platform vouches for (adapters put nothing else in
// Email). The mobile number is not one: Slack's is free text anyone can
// set to a colleague's, and a match on it would hand them that
// colleague's departments and leadership.
func matchKeys(sp SyncedPerson) []string {
	if e := strings.ToLower(strings.TrimSpace(sp.Email)); strings.Contains(e, "@") {
		return []string{"email:" + e}
	}
	return nil
}

func onePerPlatform(accts []Identity) bool {
	seen := map[Platform]bool{}
	for _, a := range accts {
		if seen[a.Platform] {
			return false
		}
		seen[a.Platform] = true
	}
	return true
}
