package bot_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

func ding(id, name string, depts, leads []string) bot.SyncedPerson {
	return bot.SyncedPerson{Account: bot.Identity{Platform: bot.DingTalk, ID: id}, Name: name, Departments: depts, Leads: leads}
}

// configured is the organisation of the file: 研发部 headed by bob, with
// ben its contact; 市场部 headed by alice, who has no DingTalk account.
func configured() *bot.Directory {
	return bot.NewDirectory("acme", []bot.Department{
		{Name: "研发部", Aliases: []string{"rd"}, Head: "bob", Contact: "ben", Members: []bot.PersonID{"bob", "ben"}},
		{Name: "市场部", Head: "alice", Contact: "alice", Members: []bot.PersonID{"alice"}},
	}, []bot.PersonID{"alice"}, []bot.Person{
		{ID: "alice", Name: "Alice", Identities: []bot.Identity{{Platform: bot.Slack, ID: "U0ALICE"}}},
		{ID: "bob", Name: "李强 Bob", Identities: []bot.Identity{{Platform: bot.DingTalk, ID: "manager3307"}}},
		{ID: "ben", Name: "陈斌 Ben", Identities: []bot.Identity{{Platform: bot.DingTalk, ID: "staff2051"}}},
	})
}

var syncedDepts = []bot.SyncedDepartment{
	{Platform: bot.DingTalk, ID: "100", Name: "RD"}, // the alias, in another case
	{Platform: bot.DingTalk, ID: "103", Name: "测试部"},
	{Platform: bot.DingTalk, ID: "104", Name: "旧部门", Gone: true},
	{Platform: bot.Slack, ID: "S0QA", Name: "测试部"},
}

// TestMerge: what the configuration says stands, and what it does not
// say comes from the platform.
func TestMerge(t *testing.T) {
	s := bot.Synced{Departments: syncedDepts, People: []bot.SyncedPerson{
		ding("manager3307", "李强", []string{"103"}, nil), // bob, whom the file puts in 研发部
		ding("staff2051", "陈斌", []string{"100"}, nil),
		ding("staff9001", "王伟", []string{"100"}, nil),
		ding("staff9004", "赵磊", []string{"103"}, []string{"103"}),
		ding("staff9005", "钱多", []string{"100"}, []string{"100"}), // the platform's leader of 研发部
		{Account: bot.Identity{Platform: bot.DingTalk, ID: "staff9006"}, Name: "离职者", Departments: []string{"100"}, Gone: true},
		{Account: bot.Identity{Platform: bot.Slack, ID: "U0NORA"}, Name: "Nora", Departments: []string{"S0QA"}},
	}}
	dir, conflicts := configured().Merge(s)

	tests := []struct {
		person bot.PersonID
		name   string
		depts  []string
	}{
		{"bob", "李强 Bob", []string{"研发部"}},            // the configuration's name and department
		{"dingtalk:staff9001", "王伟", []string{"研发部"}}, // into the configured department of that name
		{"dingtalk:staff9004", "赵磊", []string{"测试部"}}, // a department of the platform's own
		{"slack:U0NORA", "Nora", []string{"测试部"}},     // the same department from both platforms
		{"dingtalk:staff9006", "离职者", nil},            // gone: kept, in no department
		{"dingtalk:staff9005", "钱多", []string{"研发部"}},
	}
	for _, tt := range tests {
		p, ok := dir.Person(tt.person)
		if !ok || p.Name != tt.name {
			t.Errorf("%s: %+v, %v; want named %s", tt.person, p, ok, tt.name)
		}
		if got := dir.DepartmentsOf(tt.person); !slices.Equal(got, tt.depts) {
			t.Errorf("%s is in %v, want %v", tt.person, got, tt.depts)
		}
	}
	if p, ok := dir.ByIdentity(bot.DingTalk, "staff9001"); !ok || p.ID != "dingtalk:staff9001" {
		t.Errorf("王伟's account finds %+v, %v", p, ok)
	}
	if d, _ := dir.Department("研发部"); d.Head != "bob" || d.Contact != "ben" {
		t.Errorf("研发部 is headed by %s with contact %s; the configuration says bob and ben", d.Head, d.Contact)
	}
	if d, ok := dir.Department("测试部"); !ok || d.Head != "dingtalk:staff9004" {
		t.Errorf("测试部: %+v, %v; want headed by its platform leader", d, ok)
	}
	if _, ok := dir.Department("旧部门"); ok {
		t.Error("a gone department is in the organisation")
	}
	// Someone of 研发部 may now be named its contact on a request.
	req := bot.Request{Topic: "接口", Goal: "上线", Requirements: "联调", Due: time.Now().Add(48 * time.Hour),
		Departments: []bot.Assignment{{Department: "研发部", Contact: "dingtalk:staff9001"}}}
	if _, err := bot.NewCollaboration(dir, 1, dir.Actor("alice"), req, time.Now()); err != nil {
		t.Errorf("王伟 cannot be 研发部's contact: %v", err)
	}
	if _, err := bot.NewCollaboration(configured(), 1, configured().Actor("alice"), req, time.Now()); err == nil {
		t.Error("without the sync, an unknown person became 研发部's contact")
	}

	var got []string
	for _, c := range conflicts {
		got = append(got, c.String())
	}
	want := []string{
		"bob (dingtalk:manager3307): configured in 研发部, dingtalk puts them in 测试部",
		"研发部: configured head bob, dingtalk names dingtalk:staff9005",
		// Slack was synced and does not list alice's account.
		"市场部: configured head alice (slack:U0ALICE) is not in slack's directory",
		"市场部: configured contact alice (slack:U0ALICE) is not in slack's directory",
	}
	if !slices.Equal(got, want) {
		t.Errorf("conflicts\n%q\nwant\n%q", got, want)
	}
}

// TestMergeUnknownAndGone: a configured head the platform does not list,
// and a configured person the platform lost, are conflicts; platforms not
// synced are not asked about.
func TestMergeUnknownAndGone(t *testing.T) {
	s := bot.Synced{People: []bot.SyncedPerson{
		{Account: bot.Identity{Platform: bot.DingTalk, ID: "staff2051"}, Name: "陈斌", Gone: true},
		ding("staff9001", "王伟", nil, nil),
	}}
	_, conflicts := configured().Merge(s)
	var got []string
	for _, c := range conflicts {
		got = append(got, c.String())
	}
	want := []string{
		"ben (dingtalk:staff2051): configured, but gone from dingtalk's directory",
		"研发部: configured head bob (dingtalk:manager3307) is not in dingtalk's directory",
	}
	if !slices.Equal(got, want) {
		t.Errorf("conflicts\n%q\nwant\n%q", got, want)
	}
}

// TestDiffSynced: added, changed, back and gone, per platform read.
func TestDiffSynced(t *testing.T) {
	old := bot.Synced{
		Departments: []bot.SyncedDepartment{{Platform: bot.DingTalk, ID: "100", Name: "研发部"}, {Platform: bot.Slack, ID: "S0QA", Name: "测试部"}},
		People: []bot.SyncedPerson{
			ding("a", "A", []string{"100"}, nil),
			ding("b", "B", []string{"100"}, nil),
			{Account: bot.Identity{Platform: bot.DingTalk, ID: "c"}, Name: "C", Gone: true},
			{Account: bot.Identity{Platform: bot.Slack, ID: "U0S"}, Name: "S"},
		},
	}
	read := bot.Synced{
		Departments: []bot.SyncedDepartment{{Platform: bot.DingTalk, ID: "100", Name: "研发中心"}},
		People:      []bot.SyncedPerson{ding("a", "A", []string{"100"}, nil), ding("c", "C", nil, nil), ding("d", "D", nil, nil)},
	}
	d := bot.DiffSynced(old, read)
	ids := func(l []bot.SyncedPerson) (out []string) {
		for _, p := range l {
			out = append(out, p.Account.ID)
		}
		return out
	}
	if !slices.Equal(ids(d.Added), []string{"d"}) || !slices.Equal(ids(d.Changed), []string{"c"}) || !slices.Equal(ids(d.Gone), []string{"b"}) {
		t.Errorf("added %v changed %v gone %v; want [d] [c] [b] (Slack's U0S untouched)", ids(d.Added), ids(d.Changed), ids(d.Gone))
	}
	if len(d.ChangedDepartments) != 1 || d.ChangedDepartments[0].Name != "研发中心" || len(d.GoneDepartments) != 0 {
		t.Errorf("departments: changed %+v gone %+v", d.ChangedDepartments, d.GoneDepartments)
	}
	if again := bot.DiffSynced(read, read); !again.Empty() {
		t.Errorf("the same read twice differs: %+v", again)
	}
}

// syncedTx is a store transaction that also serves a synced directory.
type syncedTx struct {
	bot.Tx
	synced  bot.Synced
	version int64
	people  []bot.Person
}

func (t *syncedTx) SyncedSince(_ context.Context, after int64) (*bot.Synced, int64, error) {
	if t.version <= after {
		return nil, t.version, nil
	}
	s := t.synced
	return &s, t.version, nil
}

func (t *syncedTx) PeopleSince(_ context.Context, after int64) ([]bot.Person, int64, error) {
	if after >= int64(len(t.people)) {
		return nil, int64(len(t.people)), nil
	}
	return t.people[after:], int64(len(t.people)), nil
}

// TestRosterRefreshesOnSync: the roster merges the synced directory once
// per version, and keeps the people registered on first contact across a
// sync.
func TestRosterRefreshesOnSync(t *testing.T) {
	ctx := context.Background()
	r := bot.NewRoster(configured())
	tx := &syncedTx{people: []bot.Person{bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: "U0NEW"}, "New", "")}}
	dir, err := r.Directory(ctx, "acme", tx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := dir.Person("dingtalk:staff9001"); ok {
		t.Fatal("王伟 known before any sync")
	}
	tx.synced, tx.version = bot.Synced{Departments: syncedDepts, People: []bot.SyncedPerson{ding("staff9001", "王伟", []string{"100"}, nil)}}, 1
	dir, err = r.Directory(ctx, "acme", tx)
	if err != nil {
		t.Fatal(err)
	}
	if got := dir.DepartmentsOf("dingtalk:staff9001"); !slices.Equal(got, []string{"研发部"}) {
		t.Errorf("after the sync 王伟 is in %v", got)
	}
	if _, ok := dir.Person("slack:U0NEW"); !ok {
		t.Error("the sync lost someone registered on first contact")
	}
	if again, _ := r.Directory(ctx, "acme", tx); again != dir {
		t.Error("the directory was rebuilt although nothing changed")
	}
}

// BenchmarkMerge: a company of 10,000 DingTalk accounts in 500
// departments merged under the configuration, as a process does once
// after each sync that changed something.
func BenchmarkMerge(b *testing.B) {
	var s bot.Synced
	for i := range 500 {
		s.Departments = append(s.Departments, bot.SyncedDepartment{Platform: bot.DingTalk, ID: fmt.Sprint(1000 + i), Name: fmt.Sprintf("部门%d", i)})
	}
	for i := range 10_000 {
		dept := fmt.Sprint(1000 + i%500)
		var leads []string
		if i < 500 {
			leads = []string{dept}
		}
		s.People = append(s.People, ding(fmt.Sprintf("staff%05d", i), fmt.Sprintf("员工%d", i), []string{dept}, leads))
	}
	base := configured()
	for b.Loop() {
		dir, _ := base.Merge(s)
		if len(dir.People) != 10_003 {
			b.Fatalf("%d people", len(dir.People))
		}
	}
}
