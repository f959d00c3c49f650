package forms

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/bot"
)

// typesFile is the collaboration types' file, beside the templates; it is
// not a template.
const typesFile = "types.yaml"

// knownSteps are the steps the rules know (bot/types.go).
var knownSteps = []string{bot.StepReview, bot.StepAcknowledgement, bot.StepApproval, bot.StepPlan, bot.StepAcceptance,
	bot.StepRetrospective, bot.StepReturn, bot.StepResolution, bot.StepReadReceipt, bot.StepSignoff, bot.StepPlanApproval}

// closingSteps are the steps that close a collaboration when done: the
// retrospective (then archive), the acceptance of a type without one, a
// return, a resolution, the last read receipt.
var closingSteps = []string{bot.StepRetrospective, bot.StepAcceptance, bot.StepReturn, bot.StepResolution, bot.StepReadReceipt}

type yamlTypes struct {
	Types []struct {
		Name    string            `yaml:"name"`
		Label   yamlText          `yaml:"label"`
		Aliases []string          `yaml:"aliases"`
		Fields  []string          `yaml:"fields"`
		Steps   []string          `yaml:"steps"`
		Timers  map[string]string `yaml:"timers"`
	} `yaml:"types"`
}

// decodeTypes reads one types file; problems name the file and the type.
func decodeTypes(file string, data []byte) ([]bot.TypeDef, []Problem) {
	var ps []Problem
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var y yamlTypes
	if err := dec.Decode(&y); err != nil && !errors.Is(err, io.EOF) {
		return nil, []Problem{{File: file, Msg: yamlLine.ReplaceAllString(err.Error(), "")}}
	}
	var out []bot.TypeDef
	for i, yt := range y.Types {
		id := yt.Name
		if id == "" {
			id = fmt.Sprintf("#%d", i+1)
		}
		add := func(msg string) { ps = append(ps, Problem{File: file, Field: "type " + id, Msg: msg}) }
		if !keyRe.MatchString(yt.Name) {
			add("name must be a lower-case identifier such as resource")
		}
		if yt.Label.ZH == "" || yt.Label.EN == "" {
			add("label needs both zh and en")
		}
		if len(yt.Steps) == 0 {
			add("no steps")
		}
		for _, s := range yt.Steps {
			if !slices.Contains(knownSteps, s) {
				add(fmt.Sprintf("unknown step %q (steps: %v)", s, knownSteps))
			}
		}
		if len(yt.Steps) > 0 && !slices.ContainsFunc(yt.Steps, func(s string) bool { return slices.Contains(closingSteps, s) }) {
			// Nothing would ever close it: it would stay open for good.
			add(fmt.Sprintf("no step closes it: list one of %v", closingSteps))
		}
		out = append(out, bot.TypeDef{Name: yt.Name, Label: bot.Text(yt.Label), Aliases: yt.Aliases,
			Fields: yt.Fields, Steps: yt.Steps, Timers: yt.Timers})
	}
	return out, ps
}

// loadTypes reads the embedded types, then the override directory's
// types.yaml (a type there replaces the one of the same name or is added),
// and makes the request template ask each type's fields: a field some
// types do not list exists only for the types that do.
func (s *Set) loadTypes(embedded fs.FS, overrideDir string) []Problem {
	var ps []Problem
	var types []bot.TypeDef
	if embedded != nil {
		if data, err := fs.ReadFile(embedded, "templates/"+typesFile); err == nil {
			ts, p := decodeTypes("templates/"+typesFile+" (embedded)", data)
			types, ps = ts, append(ps, p...)
		}
	}
	if overrideDir != "" {
		file := filepath.Join(overrideDir, typesFile)
		if data, err := os.ReadFile(file); err == nil {
			ts, p := decodeTypes(file, data)
			ps = append(ps, p...)
			for _, t := range ts {
				if i := slices.IndexFunc(types, func(x bot.TypeDef) bool { return x.Name == t.Name }); i >= 0 {
					types[i] = t
				} else {
					types = append(types, t)
				}
			}
		}
	}
	req, ok := s.byName["request"]
	if len(types) == 0 || !ok {
		return ps
	}
	ctl, ok := req.byKey("type")
	if !ok || ctl.Type != TypeChoice {
		return append(ps, Problem{File: typesFile, Msg: "the request template needs a choice field \"type\" for the collaboration types"})
	}
	if !slices.ContainsFunc(types, func(t bot.TypeDef) bool { return t.Name == bot.ProjectType }) {
		ps = append(ps, Problem{File: typesFile, Msg: "the type \"project\" (the full process) is missing"})
	}
	for _, t := range types {
		for _, k := range t.Fields {
			if _, ok := req.byKey(k); !ok {
				ps = append(ps, Problem{File: typesFile, Field: "type " + t.Name, Msg: fmt.Sprintf("the request template has no field %q", k)})
			}
		}
	}
	if len(ps) > 0 {
		return ps
	}
	ctl.Choices = nil
	for _, t := range types {
		ctl.Choices = append(ctl.Choices, Choice{Value: t.Name, Label: t.Label, Aliases: t.Aliases})
	}
	for _, f := range req.Fields {
		if f.Key == "type" || f.When != nil {
			continue
		}
		var in []string
		listed := false
		for _, t := range types {
			if t.Asks(f.Key) {
				in = append(in, t.Name)
			}
			listed = listed || len(t.Fields) > 0 && t.Asks(f.Key)
		}
		if !listed || len(in) == len(types) {
			continue // a field no type names (a deployment's own) is everyone's
		}
		if slices.Contains(in, bot.ProjectType) {
			in = append(in, "") // a form begun before types existed is a project's
		}
		f.When = &Condition{Field: "type", In: in}
	}
	s.types = types
	return nil
}

// Types are the collaboration types, project first as configured.
func (s *Set) Types() []bot.TypeDef { return s.types }

// Type finds a collaboration type by name, label or alias.
func (s *Set) Type(name string) (bot.TypeDef, bool) {
	for _, t := range s.types {
		if t.Matches(name) {
			return t, true
		}
	}
	return bot.TypeDef{}, false
}
