package config

import (
	"fmt"
	"strings"

	"github.com/collabot/collabot/bot"
)

// Org is the organisation as operators write it in the config file
// (design.md, "The organisation in the config file").
type Org struct {
	Departments []DepartmentConfig `yaml:"departments"`
	Leadership  []string           `yaml:"leadership"`
	People      []PersonConfig     `yaml:"people"`
}

// DepartmentConfig is one department; Head, Contact and Members are person ids.
type DepartmentConfig struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	Head    string   `yaml:"head"`
	Contact string   `yaml:"contact"`
	Members []string `yaml:"members"`
	Review  bool     `yaml:"review"`
}

// PersonConfig is one person and the platform accounts they use.
type PersonConfig struct {
	ID       string `yaml:"id"`
	Name     string `yaml:"name"`
	Slack    string `yaml:"slack"`
	DingTalk string `yaml:"dingtalk"`
	Language string `yaml:"language"`
}

// Directory is the configured organisation for the engine's lookups.
func (c *Config) Directory() *bot.Directory {
	depts := make([]bot.Department, len(c.Departments))
	for i, d := range c.Departments {
		members := make([]bot.PersonID, len(d.Members))
		for j, m := range d.Members {
			members[j] = bot.PersonID(m)
		}
		depts[i] = bot.Department{Name: d.Name, Aliases: d.Aliases, Head: bot.PersonID(d.Head),
			Contact: bot.PersonID(d.Contact), Members: members, Review: d.Review}
	}
	leaders := make([]bot.PersonID, len(c.Leadership))
	for i, id := range c.Leadership {
		leaders[i] = bot.PersonID(id)
	}
	people := make([]bot.Person, len(c.People))
	for i, p := range c.People {
		bp := bot.Person{ID: bot.PersonID(p.ID), Name: p.Name}
		if bp.Name == "" {
			bp.Name = p.ID
		}
		if p.Slack != "" {
			bp.Identities = append(bp.Identities, bot.Identity{Platform: bot.Slack, ID: p.Slack})
		}
		if p.DingTalk != "" {
			bp.Identities = append(bp.Identities, bot.Identity{Platform: bot.DingTalk, ID: p.DingTalk})
		}
		bp.Lang, _ = bot.ParseLang(p.Language) // validated already; "" means the workspace default
		people[i] = bp
	}
	return bot.NewDirectory(bot.Workspace(c.Workspace), depts, leaders, people)
}

// validate checks that every reference resolves and nothing is claimed
// twice, because the directory silently keeps the first of two claims.
// Problems name an entry by its name or id, which an operator searches
// for, and find the line by its position.
func (o *Org) validate(p *problems) {
	people := make(map[string]bool, len(o.People))
	slackIDs := map[string]string{}
	dingIDs := map[string]string{}
	for i, person := range o.People {
		key, path := fmt.Sprintf("people[%d]", i), fmt.Sprintf("people.%d", i)
		switch {
		case person.ID == "":
			p.addPath(key+".id", path, "a person needs an id")
		case strings.ContainsAny(person.ID, " \t\r\n,，@:"):
			// A colon is reserved for people registered on first contact
			// ("slack:U123"), so the two can never collide.
			p.addPath(key+".id", path+".id", fmt.Sprintf("%q: a person id is one word without spaces, commas, @ or colons", person.ID))
		case people[person.ID]:
			p.addPath(key+".id", path+".id", fmt.Sprintf("%q is used by two people", person.ID))
		}
		people[person.ID] = true
		if person.ID != "" {
			key = fmt.Sprintf("people[%s]", person.ID)
		}
		claim(p, key+".slack", path+".slack", "Slack", person.Slack, person.ID, slackIDs)
		claim(p, key+".dingtalk", path+".dingtalk", "DingTalk", person.DingTalk, person.ID, dingIDs)
		if person.Language != "" {
			if _, ok := bot.ParseLang(person.Language); !ok {
				p.addPath(key+".language", path+".language", fmt.Sprintf("%q is not a language: use zh-CN or en", person.Language))
			}
		}
	}

	isPerson := func(key, path, id, role string) {
		if id != "" && !people[id] {
			p.addPath(key, path, fmt.Sprintf("%s %q is not a person in people", role, id))
		}
	}
	names := map[string]string{} // folded name or alias -> department claiming it
	for i, d := range o.Departments {
		key, path := fmt.Sprintf("departments[%d]", i), fmt.Sprintf("departments.%d", i)
		if d.Name == "" {
			p.addPath(key+".name", path, "a department needs a name")
		} else {
			key = fmt.Sprintf("departments[%s]", d.Name)
			if strings.ContainsAny(d.Name, ",，、;；\n") {
				// People list departments with these separators, and forms
				// keep a list of names joined by commas.
				p.addPath(key+".name", path+".name", fmt.Sprintf("%q: a department name cannot hold , ， 、 or ;", d.Name))
			}
			if other, ok := names[fold(d.Name)]; ok {
				p.addPath(key+".name", path+".name", fmt.Sprintf("%q is already the name or an alias of %s", d.Name, other))
			}
			names[fold(d.Name)] = d.Name
		}
		for j, a := range d.Aliases {
			if other, ok := names[fold(a)]; ok && other != d.Name {
				p.addPath(key+".aliases", fmt.Sprintf("%s.aliases.%d", path, j), fmt.Sprintf("%q is already the name or an alias of %s", a, other))
			}
			names[fold(a)] = d.Name
		}
		if d.Head == "" {
			p.addPath(key+".head", path, "a department needs a head, who receives escalations")
		}
		if d.Contact == "" {
			p.addPath(key+".contact", path, "a department needs a contact, who acknowledges requests")
		}
		isPerson(key+".head", path+".head", d.Head, "head")
		isPerson(key+".contact", path+".contact", d.Contact, "contact")
		for j, m := range d.Members {
			isPerson(key+".members", fmt.Sprintf("%s.members.%d", path, j), m, "member")
		}
	}
	for j, id := range o.Leadership {
		isPerson("leadership", fmt.Sprintf("leadership.%d", j), id, "leader")
	}
}

// claim records that person uses account id on a platform, reporting an
// account two people claim: a message from it could not be attributed.
func claim(p *problems, key, path, platform, id, person string, seen map[string]string) {
	if id == "" {
		return
	}
	if other, ok := seen[id]; ok && other != person {
		p.addPath(key, path, fmt.Sprintf("%s id %q is already %s's", platform, id, other))
		return
	}
	seen[id] = person
}

// fold matches bot.Directory's name lookup, so a clash here is a clash there.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
