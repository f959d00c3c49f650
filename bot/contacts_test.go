package bot_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestMatchContacts: contacts go to the assisting departments they belong
// to, in any order; someone of none of them, or two for one, is refused
// on the contacts field naming the person and the departments.
func TestMatchContacts(t *testing.T) {
	dir := org(false)
	// bella is in 研发部 only; make a person of two departments for the
	// order-keeping case.
	dir = bot.NewDirectory("acme", append(dir.Departments[:1:1],
		bot.Department{Name: "研发部", Head: "bob", Contact: "ben", Members: []bot.PersonID{"bob", "ben", "bella", "mark"}},
		dir.Departments[2], dir.Departments[3]), []bot.PersonID{"lily"}, dir.People)
	depts := []string{"研发部", "财务部"}
	for _, tt := range []struct {
		name     string
		depts    []string
		contacts []bot.PersonID
		want     string // "研发部=ben 财务部=fiona", or the refusal's key
		args     bot.Args
	}{
		{"typed in the departments' order", depts, []bot.PersonID{"ben", "fiona"}, "研发部=ben 财务部=fiona", nil},
		{"typed the other way round", depts, []bot.PersonID{"fiona", "ben"}, "研发部=ben 财务部=fiona", nil},
		{"one for the second department", depts, []bot.PersonID{"frank"}, "研发部= 财务部=frank", nil},
		{"none", depts, nil, "研发部= 财务部=", nil},
		{"in two departments, typed against one", []string{"市场部", "研发部"}, []bot.PersonID{"mark", "ben"}, "市场部=mark 研发部=ben", nil},
		{"in two departments, the other taken", []string{"市场部", "研发部"}, []bot.PersonID{"ben", "mark"}, "市场部=mark 研发部=ben", nil},
		{"of no assisting department", depts, []bot.PersonID{"oscar"}, "refuse.request.contact_in_no_department",
			bot.Args{"person": bot.Who("oscar"), "departments": bot.List{"研发部", "财务部"}}},
		{"a third person for two departments", depts, []bot.PersonID{"ben", "frank", "oscar"}, "refuse.request.contact_in_no_department",
			bot.Args{"person": bot.Who("oscar"), "departments": bot.List{"研发部", "财务部"}}},
		{"two for one department", depts, []bot.PersonID{"bob", "ben"}, "refuse.request.contacts_share_department",
			bot.Args{"person": bot.Who("bob"), "other": bot.Who("ben"), "department": "研发部", "departments": bot.List{"研发部", "财务部"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dir.MatchContacts("contacts", tt.depts, tt.contacts)
			var e *bot.Error
			if errors.As(err, &e) {
				if e.Msg.Key != tt.want || e.Field != "contacts" || fmt.Sprint(e.Msg.Args) != fmt.Sprint(tt.args) {
					t.Fatalf("refused %s on %q %v, want %s %v", e.Msg.Key, e.Field, e.Msg.Args, tt.want, tt.args)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := ""
			for i, a := range got {
				if i > 0 {
					s += " "
				}
				s += a.Department + "=" + string(a.Contact)
			}
			if s != tt.want {
				t.Fatalf("got %s, want %s", s, tt.want)
			}
		})
	}
}
