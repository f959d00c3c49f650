package bot

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Workspace is a tenant: one company's organisation and its collaborations.
// Nothing in one workspace can be read or changed from another.
type Workspace string

// PersonID is the stable id of a person in the organisation directory
// ("alice"), independent of any chat platform.
type PersonID string

// Platform names a chat platform a person can be reached on.
type Platform string

const (
	Slack    Platform = "slack"
	DingTalk Platform = "dingtalk"
	Console  Platform = "console"
)

// Identity is a person's account on one platform (a Slack user id, a
// DingTalk staff id).
type Identity struct {
	Platform Platform `json:"platform"`
	ID       string   `json:"id"`
}

// Person is someone collabot knows. A person may have a Slack and a
// DingTalk identity at once.
type Person struct {
	ID         PersonID   `json:"id"`
	Name       string     `json:"name"`
	Identities []Identity `json:"identities,omitempty"`
	Lang       Lang       `json:"lang,omitempty"`
	// Registered is true for people who were not in configuration and were
	// added on first contact by their platform identity.
	Registered bool `json:"registered,omitempty"`
}

// Identity returns the person's id on platform, if they have one.
func (p Person) Identity(platform Platform) (string, bool) {
	for _, id := range p.Identities {
		if id.Platform == platform {
			return id.ID, true
		}
	}
	return "", false
}

// Newcomer is the person record for someone met for the first time on a
// platform who is not in configuration. The id is derived from the
// identity so that it is stable and cannot collide with a configured id
// (those never contain a colon).
func Newcomer(id Identity, name string, lang Lang) Person {
	name = strings.TrimSpace(name)
	if name == "" {
		name = id.ID
	}
	return Person{ID: PersonID(string(id.Platform) + ":" + id.ID), Name: name,
		Identities: []Identity{id}, Lang: lang, Registered: true}
}

// Department is a unit of the organisation that can request or assist.
type Department struct {
	Name    string     `json:"name"`
	Aliases []string   `json:"aliases,omitempty"`
	Head    PersonID   `json:"head"`
	Contact PersonID   `json:"contact"`
	Members []PersonID `json:"members,omitempty"`
	// Review switches on the optional first review (需求初审) by the head
	// for requests this department files.
	Review bool `json:"review,omitempty"`
}

// Directory is the organisation of one workspace: departments, leadership
// and people. It is built from configuration plus the people registered on
// first contact, and is read-only once built.
type Directory struct {
	Workspace   Workspace
	Departments []Department
	Leadership  []PersonID
	People      []Person // everyone; its capacity is its length, so appending to it copies

	byName  map[string]int     // lower-cased name and aliases -> index in Departments
	deptsOf map[PersonID][]int // person -> departments they head, answer for or belong to
	// idx finds People[:indexed] by id and identity; the few after them
	// (at most maxUnindexed, added by With) are found by a scan, so a
	// directory grown by one newcomer shares the maps of the one before.
	idx     *peopleIndex
	indexed int
	// backing holds People with room to grow; grow says how much of it
	// is taken, so that With appends in place when nobody did before it.
	backing []Person
	grow    *growth
}

type peopleIndex struct {
	byID       map[PersonID]int // person id -> index in People (the first with that id)
	byIdentity map[Identity]int // platform account -> index in People (the first with it)
}

type growth struct {
	mu    sync.Mutex
	taken int
}

// maxUnindexed bounds the scan after a map miss; beyond it With copies
// the maps, so registering n people costs O(n) map work in all, not O(n²).
const maxUnindexed = 64

// NewDirectory indexes the organisation for lookups: by department name
// and alias, by person id and by platform identity, each a map, so a
// look-up costs the same with ten people or ten thousand.
func NewDirectory(ws Workspace, depts []Department, leadership []PersonID, people []Person) *Directory {
	d := &Directory{Workspace: ws, Departments: depts, Leadership: leadership, People: slices.Clip(people),
		byName: make(map[string]int), deptsOf: make(map[PersonID][]int)}
	for i, dept := range depts {
		d.byName[FoldName(dept.Name)] = i
		for _, a := range dept.Aliases {
			if _, taken := d.byName[FoldName(a)]; !taken {
				d.byName[FoldName(a)] = i
			}
		}
		seen := map[PersonID]bool{}
		for _, p := range append([]PersonID{dept.Head, dept.Contact}, dept.Members...) {
			if p != "" && !seen[p] {
				seen[p] = true
				d.deptsOf[p] = append(d.deptsOf[p], i)
			}
		}
	}
	d.idx = &peopleIndex{byID: make(map[PersonID]int, len(people)), byIdentity: make(map[Identity]int, len(people))}
	d.idx.add(people, 0)
	d.indexed = len(people)
	return d
}

// add indexes people[from:]; the first person with an id or an identity
// keeps it.
func (x *peopleIndex) add(people []Person, from int) {
	for i := from; i < len(people); i++ {
		p := people[i]
		if _, dup := x.byID[p.ID]; !dup {
			x.byID[p.ID] = i
		}
		for _, id := range p.Identities {
			if _, dup := x.byIdentity[id]; !dup {
				x.byIdentity[id] = i
			}
		}
	}
}

// FoldName is how department and type names and aliases compare: invisible
// characters (zero-width spaces and joiners, soft hyphens, bidi marks)
// removed so that a name with one hidden inside is not a new department,
// full-width letters narrowed, spaces trimmed, case ignored. This package
// uses the standard library only; the forms package, which reads what
// people type, normalises fully (NFKC) before it asks.
func FoldName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
	return strings.ToLower(strings.TrimSpace(s))
}

// With returns a directory that also knows the people registered on first
// contact; configured people win over registered ones with the same id.
// When it knows them all already it returns d itself. Growing by a few
// people costs what they cost, not what everyone does: the people are
// appended in place when d is the newest directory of its line, and the
// maps are shared until maxUnindexed people wait outside them. A process
// keeps one with everyone in a Roster rather than calling this per
// message.
func (d *Directory) With(registered []Person) *Directory {
	var add []Person
	adding := map[PersonID]bool{}
	for _, p := range registered {
		if _, known := d.Person(p.ID); known || adding[p.ID] {
			continue
		}
		adding[p.ID] = true
		add = append(add, p)
	}
	if len(add) == 0 {
		return d
	}
	n := len(d.People)
	var backing []Person
	g := d.grow
	if g != nil {
		g.mu.Lock()
		switch {
		case g.taken == n && cap(d.backing)-n >= len(add):
			backing = append(d.backing[:n], add...) // the slots after n are nobody's yet
			g.taken = len(backing)
		case g.taken >= n+len(add) && slices.EqualFunc(d.backing[n:n+len(add)], add, samePerson):
			// Another directory grown from d added the same people (a
			// message registered a newcomer; the Roster now reads them):
			// share their slots, which nobody writes again.
			backing = d.backing[:n+len(add)]
		}
		g.mu.Unlock()
	}
	if backing == nil {
		backing = make([]Person, n+len(add), 2*(n+len(add))+16)
		copy(backing, d.People)
		copy(backing[n:], add)
		g = &growth{taken: len(backing)}
	}
	c := &Directory{Workspace: d.Workspace, Departments: d.Departments, Leadership: d.Leadership,
		People: backing[:len(backing):len(backing)], byName: d.byName, deptsOf: d.deptsOf,
		idx: d.idx, indexed: d.indexed, backing: backing, grow: g}
	if len(backing)-c.indexed > maxUnindexed {
		// A copy of a map is far cheaper than building it.
		c.idx = &peopleIndex{byID: maps.Clone(d.idx.byID), byIdentity: maps.Clone(d.idx.byIdentity)}
		c.idx.add(c.People, d.indexed)
		c.indexed = len(backing)
	}
	return c
}

func samePerson(a, b Person) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Lang == b.Lang && a.Registered == b.Registered &&
		slices.Equal(a.Identities, b.Identities)
}

// Department finds a department by its name or any alias, ignoring case.
func (d *Directory) Department(nameOrAlias string) (Department, bool) {
	i, ok := d.byName[FoldName(nameOrAlias)]
	if !ok {
		return Department{}, false
	}
	return d.Departments[i], true
}

// ResolveDepartment is Department with a refusal a user can act on.
func (d *Directory) ResolveDepartment(nameOrAlias string) (Department, error) {
	if dept, ok := d.Department(nameOrAlias); ok {
		return dept, nil
	}
	// Each name with its first Latin alias, so that someone who does not
	// type Chinese sees what to type: "研发部 (engineering)".
	names := make(List, len(d.Departments))
	for i, dept := range d.Departments {
		name := dept.Name
		if j := slices.IndexFunc(dept.Aliases, isLatin); j >= 0 && !isLatin(dept.Name) {
			name += " (" + dept.Aliases[j] + ")"
		}
		names[i] = name
	}
	return Department{}, RefuseField(CodeUnknownDept, "department", "refuse.department.unknown", Args{"name": nameOrAlias, "known": names})
}

// isLatin reports whether s is written in ASCII letters (an alias people
// type on an English keyboard).
func isLatin(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII })
}

// Name is how people read someone: their name, else their id.
func (d *Directory) Name(id PersonID) string {
	if p, ok := d.Person(id); ok && p.Name != "" {
		return p.Name
	}
	return string(id)
}

// Person finds a person by id.
func (d *Directory) Person(id PersonID) (Person, bool) {
	if i, ok := d.idx.byID[id]; ok {
		return d.People[i], true
	}
	for _, p := range d.People[d.indexed:] {
		if p.ID == id {
			return p, true
		}
	}
	return Person{}, false
}

// ByIdentity finds the person behind a platform account.
func (d *Directory) ByIdentity(platform Platform, id string) (Person, bool) {
	key := Identity{Platform: platform, ID: id}
	if i, ok := d.idx.byIdentity[key]; ok {
		return d.People[i], true
	}
	for _, p := range d.People[d.indexed:] {
		if slices.Contains(p.Identities, key) {
			return p, true
		}
	}
	return Person{}, false
}

// IsLeadership reports whether id belongs to the leadership group.
func (d *Directory) IsLeadership(id PersonID) bool { return slices.Contains(d.Leadership, id) }

// DepartmentsOf lists the departments id is a member, head or contact of.
func (d *Directory) DepartmentsOf(id PersonID) []string {
	var out []string
	for _, i := range d.deptsOf[id] {
		out = append(out, d.Departments[i].Name)
	}
	return out
}

// Actor is a person acting on a collaboration, with the organisational
// roles the lifecycle rules need. The engine resolves it from the directory
// once per message; the rules then decide from it alone.
type Actor struct {
	Person      PersonID
	Departments []string // departments the person belongs to (first is primary)
	HeadOf      []string // departments the person heads
	ContactOf   []string // departments whose default contact the person is
	Leadership  bool
}

// Actor resolves the roles of a person. An unknown person still gets an
// Actor with no roles: they can read and raise risks, nothing more.
func (d *Directory) Actor(id PersonID) Actor {
	a := Actor{Person: id, Departments: d.DepartmentsOf(id), Leadership: d.IsLeadership(id)}
	for _, i := range d.deptsOf[id] {
		dept := d.Departments[i]
		if dept.Head == id {
			a.HeadOf = append(a.HeadOf, dept.Name)
		}
		if dept.Contact == id {
			a.ContactOf = append(a.ContactOf, dept.Name)
		}
	}
	return a
}

// PrimaryDepartment is the department the actor files requests for.
func (a Actor) PrimaryDepartment() string {
	if len(a.Departments) == 0 {
		return ""
	}
	return a.Departments[0]
}

// Heads reports whether the actor is the head of dept.
func (a Actor) Heads(dept string) bool { return slices.Contains(a.HeadOf, dept) }
