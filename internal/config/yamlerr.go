package config

import (
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yaml.v3 reports problems as Go types and line numbers; this file turns
// them into the keys and lines an operator wrote.

var (
	yamlLine    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	yamlUnknown = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	// sections maps the Go type names in yaml.v3's messages to where the
	// type sits in the file and the keys it accepts.
	sections = map[string]section{}
)

type section struct {
	prefix string // "" where several keys share the type; the line says which
	keys   []string
}

func init() {
	for _, s := range []struct {
		prefix string
		value  any
	}{
		{"", Config{}}, {"slack.", SlackConfig{}}, {"dingtalk.", DingTalkConfig{}}, {"log.", LogConfig{}},
		{"calendar.", CalendarConfig{}}, {"timers.", Timers{}}, {"dialog.", DialogConfig{}},
		{"departments[].", DepartmentConfig{}}, {"people[].", PersonConfig{}},
		{"", EscalatingTimer{}}, {"", DeadlineTimer{}}, {"timers.agenda.", AgendaTimer{}},
		{"timers.task_due.", OverdueTimer{}}, {"timers.daily_progress.", DailyTimer{}},
		{"timers.weekly_summary.", WeeklyTimer{}},
		{"timers.weekly_digest.", WeeklyTimer{}},
		{"", calendarFile{}}, {"holidays[].", holidayRange{}}, {"makeup_workdays[].", makeupDay{}},
	} {
		t := reflect.TypeOf(s.value)
		sections[t.String()] = section{prefix: s.prefix, keys: yamlKeys(t)}
	}
}

// yamlProblems turns yaml.v3's errors into problems with a line, and its
// "field x not found in type config.Foo" into the key an operator wrote
// and the keys that would have been accepted there.
func yamlProblems(err error) []Problem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]Problem, 0, len(msgs))
	for _, m := range msgs {
		var p Problem
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			p.Line, _ = strconv.Atoi(sub[1])
			m = sub[2]
		}
		p.Msg = strings.TrimPrefix(m, "yaml: ")
		if sub := yamlUnknown.FindStringSubmatch(m); sub != nil {
			sec := sections[sub[2]]
			p.Key = sec.prefix + sub[1]
			p.Msg = "unknown key"
			if len(sec.keys) > 0 {
				p.Msg += " (known here: " + strings.Join(sec.keys, ", ") + ")"
			}
		}
		out = append(out, p)
	}
	return out
}

// yamlKeys lists the keys a struct accepts, including inlined ones.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case opts == "inline":
			keys = append(keys, yamlKeys(f.Type)...)
		case !f.IsExported() || name == "-":
		case name != "":
			keys = append(keys, name)
		default:
			keys = append(keys, strings.ToLower(f.Name))
		}
	}
	return keys
}

// lineIndex maps the path of every key in a YAML document
// ("timers.agenda.before", "people.3.slack") to the line it is written on,
// because validation runs on the decoded struct, which has no lines.
func lineIndex(data []byte) map[string]int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return nil // decoding reports the syntax error
	}
	lines := map[string]int{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if _, seen := lines[path]; !seen && path != "" {
			lines[path] = n.Line
		}
		join := func(k string) string {
			if path == "" {
				return k
			}
			return path + "." + k
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := join(n.Content[i].Value)
				lines[k] = n.Content[i].Line
				walk(n.Content[i+1], k)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, join(strconv.Itoa(i)))
			}
		}
	}
	walk(&doc, "")
	return lines
}
