package bot_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/collabot/collabot/bot"
)

func newcomer(i int) bot.Person {
	return bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: fmt.Sprintf("U%05d", i)}, fmt.Sprintf("P%d", i), "")
}

// TestDirectoryGrowsOneNewcomerAtATime: a line of directories, each With
// one newcomer more (as a Roster grows), and branches off every one of
// them (as a message from a newcomer makes), each find exactly their own
// people by id and identity, whatever the maps and the shared storage
// they were built on; configured people win over registered ones.
func TestDirectoryGrowsOneNewcomerAtATime(t *testing.T) {
	base := bot.NewDirectory("acme", []bot.Department{{Name: "研发部", Head: "ben", Contact: "ben"}}, nil,
		[]bot.Person{{ID: "ben", Name: "Ben", Identities: []bot.Identity{{Platform: bot.Slack, ID: "U0BEN"}}}})
	line := []*bot.Directory{base}
	for i := range 300 {
		line = append(line, line[len(line)-1].With([]bot.Person{newcomer(i)}))
	}
	var wg sync.WaitGroup
	for k, d := range line {
		wg.Add(1)
		go func() { // branches race with each other and with the checks
			defer wg.Done()
			branch := d.With([]bot.Person{newcomer(10_000 + k), {ID: "ben", Name: "Impostor"}})
			if p, ok := branch.ByIdentity(bot.Slack, fmt.Sprintf("U%05d", 10_000+k)); !ok || p.Name != fmt.Sprintf("P%d", 10_000+k) {
				t.Errorf("branch %d lost its newcomer", k)
			}
			if p, _ := branch.Person("ben"); p.Name != "Ben" {
				t.Errorf("branch %d: a registered person replaced a configured one", k)
			}
			if len(branch.People) != k+2 {
				t.Errorf("branch %d has %d people, want %d", k, len(branch.People), k+2)
			}
		}()
	}
	for k, d := range line {
		for i := range 300 {
			_, byID := d.Person(newcomer(i).ID)
			_, byAccount := d.ByIdentity(bot.Slack, fmt.Sprintf("U%05d", i))
			if want := i < k; byID != want || byAccount != want {
				t.Fatalf("directory %d finds newcomer %d: %v %v, want %v", k, i, byID, byAccount, want)
			}
		}
		if len(d.People) != k+1 {
			t.Fatalf("directory %d has %d people", k, len(d.People))
		}
	}
	wg.Wait()
	if d := line[len(line)-1]; d.With([]bot.Person{newcomer(5)}) != d {
		t.Error("With of someone known copied the directory")
	}
}

// TestDirectoryBranchAndLineShareANewcomer: a message registering someone
// grows the process's directory by them (a branch); when the Roster then
// reads them it grows the same directory by the same person and shares
// the branch's storage instead of copying everyone.
func TestDirectoryBranchAndLineShareANewcomer(t *testing.T) {
	var people []bot.Person
	for i := range 1000 {
		people = append(people, newcomer(i))
	}
	d := bot.NewDirectory("acme", nil, nil, nil).With(people)
	x := newcomer(5000)
	branch := d.With([]bot.Person{x})
	line := d.With([]bot.Person{x})
	if &line.People[0] != &branch.People[0] {
		t.Error("the line copied everyone although the branch had added the same person")
	}
	other := d.With([]bot.Person{newcomer(6000)}) // someone else: a copy
	if &other.People[0] == &branch.People[0] {
		t.Error("a different newcomer shared the branch's storage")
	}
	for _, dir := range []*bot.Directory{branch, line} {
		if _, ok := dir.Person(x.ID); !ok || len(dir.People) != 1001 {
			t.Errorf("%d people, newcomer found %v", len(dir.People), ok)
		}
	}
	if _, ok := other.Person(x.ID); ok || len(other.People) != 1001 {
		t.Error("the other directory knows the first newcomer")
	}
	if _, ok := d.Person(x.ID); ok || len(d.People) != 1000 {
		t.Error("growing changed the directory grown from")
	}
}
