package forms

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/bot"
)

// The YAML shape of a template file; see configs/templates/README.md.
type (
	yamlTemplate struct {
		Name   string      `yaml:"name"`
		Title  yamlText    `yaml:"title"`
		Fields []yamlField `yaml:"fields"`
	}
	yamlText struct {
		ZH string `yaml:"zh"`
		EN string `yaml:"en"`
	}
	yamlField struct {
		Key          string         `yaml:"key"`
		Label        yamlText       `yaml:"label"`
		Prompt       yamlText       `yaml:"prompt"`
		Help         *yamlText      `yaml:"help"`
		Example      *yamlText      `yaml:"example"`
		Type         string         `yaml:"type"`
		Required     bool           `yaml:"required"`
		RequiredWhen *yamlCondition `yaml:"required_when"`
		Max          *int           `yaml:"max"`
		Min          *int           `yaml:"min"`
		Aliases      []string       `yaml:"aliases"`
		Choices      []yamlChoice   `yaml:"choices"`
		When         *yamlCondition `yaml:"when"`
		Ref          string         `yaml:"ref"`
		Business     bool           `yaml:"business"`
		Begins       bool           `yaml:"begins"`
		More         bool           `yaml:"more"`
		PeriodFrom   string         `yaml:"period_from"`
	}
	yamlChoice struct {
		Value   string   `yaml:"value"`
		Label   yamlText `yaml:"label"`
		Aliases []string `yaml:"aliases"`
	}
	yamlCondition struct {
		Field string   `yaml:"field"`
		In    []string `yaml:"in"`
	}
)

// Problem is one thing wrong with a template file.
type Problem struct {
	File  string
	Field string // the field key (or "#3" for a field without one); "" for the file
	Msg   string
}

func (p Problem) String() string {
	if p.Field != "" {
		return p.File + ": field " + p.Field + ": " + p.Msg
	}
	return p.File + ": " + p.Msg
}

// LoadError lists every problem Load found, so an operator fixes a
// template directory in one pass.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("forms: invalid templates:")
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// Set is the loaded templates by name.
type Set struct {
	byName map[string]*Template
	types  []bot.TypeDef // the collaboration types (types.go)
}

// Load reads the templates embedded under templates/ in embedded (nil:
// none), then every *.yaml file in overrideDir ("" for none): a file there
// replaces the embedded template of the same name or adds a new one. An
// override may drop or reword fields but must keep the type and choice
// values of the fields it keeps, because the engine reads them.
func Load(embedded fs.FS, overrideDir string) (*Set, error) {
	s := &Set{byName: map[string]*Template{}}
	var problems []Problem
	builtin := map[string]*Template{}
	if embedded != nil {
		names, err := fs.Glob(embedded, "templates/*.yaml")
		if err != nil {
			return nil, fmt.Errorf("forms: %w", err)
		}
		for _, name := range names {
			if path.Base(name) == typesFile {
				continue
			}
			data, err := fs.ReadFile(embedded, name)
			if err != nil {
				return nil, fmt.Errorf("forms: %w", err)
			}
			t, ps := decode(name+" (embedded)", path.Base(name), data)
			problems = append(problems, ps...)
			if t != nil {
				builtin[t.Name], s.byName[t.Name] = t, t
			}
		}
	}
	if overrideDir != "" {
		entries, err := os.ReadDir(overrideDir)
		if err != nil {
			return nil, fmt.Errorf("forms: template directory: %w", err)
		}
		seen := map[string]string{}
		for _, e := range entries {
			ext := filepath.Ext(e.Name())
			if e.IsDir() || (ext != ".yaml" && ext != ".yml") || e.Name() == typesFile {
				continue
			}
			file := filepath.Join(overrideDir, e.Name())
			data, err := os.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("forms: %w", err)
			}
			t, ps := decode(file, e.Name(), data)
			problems = append(problems, ps...)
			if t == nil {
				continue
			}
			if other, dup := seen[t.Name]; dup {
				problems = append(problems, Problem{File: file, Msg: "template " + t.Name + " is also defined in " + other})
				continue
			}
			seen[t.Name] = file
			if b, ok := builtin[t.Name]; ok {
				problems = append(problems, compatible(file, b, t)...)
			}
			s.byName[t.Name] = t
		}
	}
	if len(problems) == 0 {
		problems = append(problems, s.loadTypes(embedded, overrideDir)...)
	}
	if len(s.byName) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{File: "templates", Msg: "no template files found"})
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return s, nil
}

// Get returns the template called name.
func (s *Set) Get(name string) (*Template, bool) {
	t, ok := s.byName[name]
	return t, ok
}

// Names lists the templates, sorted.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.byName))
	for n := range s.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Require checks that template name exists and still has the fields keys,
// so that an override that dropped one the engine maps fails at start-up
// rather than when someone fills in the form.
func (s *Set) Require(name string, keys ...string) error {
	t, ok := s.Get(name)
	if !ok {
		return fmt.Errorf("forms: template %q is missing", name)
	}
	var missing []string
	for _, k := range keys {
		if _, ok := t.byKey(k); !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("forms: template %q (%s) lacks field(s) %s, which collabot needs",
			name, t.source, strings.Join(missing, ", "))
	}
	return nil
}

var (
	keyRe        = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
	yamlLine     = regexp.MustCompile(`^yaml: `)
	lineNo       = regexp.MustCompile(`^line (\d+): `)
)

// fieldAt maps a line of a template file to the key of the field written
// there, so that a YAML type error names its field like the other problems.
func fieldAt(data []byte) func(line int) string {
	type start struct {
		line int
		key  string
	}
	var starts []start
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value != "fields" {
				continue
			}
			for j, item := range root.Content[i+1].Content {
				s := start{item.Line, "#" + strconv.Itoa(j+1)}
				for k := 0; k+1 < len(item.Content); k += 2 {
					if item.Content[k].Value == "key" && item.Content[k+1].Value != "" {
						s.key = item.Content[k+1].Value
					}
				}
				starts = append(starts, s)
			}
		}
	}
	return func(line int) string {
		key := ""
		for _, s := range starts {
			if s.line <= line {
				key = s.key
			}
		}
		return key
	}
}

// decode reads and validates one template file; base is the file name,
// which must be the template's name.
func decode(file, base string, data []byte) (*Template, []Problem) {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{File: file, Field: field, Msg: msg}) }
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var y yamlTemplate
	if err := dec.Decode(&y); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			add("", "the file is empty")
			return nil, ps
		case errors.As(err, &te):
			at := fieldAt(data)
			for _, msg := range te.Errors {
				line := 0
				if m := lineNo.FindStringSubmatch(msg); m != nil {
					line, _ = strconv.Atoi(m[1])
				}
				add(at(line), unknownField.ReplaceAllString(msg, "unknown key $1"))
			}
		default:
			add("", yamlLine.ReplaceAllString(err.Error(), ""))
			return nil, ps
		}
	}
	name := strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
	if y.Name != name {
		add("", fmt.Sprintf("name %q differs from the file name %q", y.Name, name))
	}
	if !keyRe.MatchString(name) {
		add("", "the file name must be a lower-case identifier such as risk_response.yaml")
	}
	if y.Title.ZH == "" || y.Title.EN == "" {
		add("", "title needs both zh and en")
	}
	if len(y.Fields) == 0 {
		add("", "no fields")
	}
	t := &Template{Name: name, Title: bot.Text(y.Title), source: file}
	owner := map[string]string{} // folded name -> key of the field it addresses
	for i, yf := range y.Fields {
		id := yf.Key
		if id == "" {
			id = "#" + strconv.Itoa(i+1)
		}
		f, msgs := field(yf, t)
		for _, m := range msgs {
			add(id, m)
		}
		for _, n := range f.names() {
			if other, taken := owner[n]; taken && other != f.Key {
				add(id, fmt.Sprintf("%q also names field %s", n, other))
			} else {
				owner[n] = f.Key
			}
		}
		t.Fields = append(t.Fields, f)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return t, nil
}
