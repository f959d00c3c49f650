package forms_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/forms"
)

// TestTypesDecideTheRequestFields: the shipped types are the request's
// type choices, and each type's fields are the ones its request asks:
// a quantity only for a resource, a goal not for an alignment; a form
// without a type (begun before types existed) is a project's.
func TestTypesDecideTheRequestFields(t *testing.T) {
	_, _, set := fixture(t)
	var names []string
	for _, ty := range set.Types() {
		names = append(names, ty.Name)
	}
	if !slices.Equal(names, []string{"project", "resource", "problem", "alignment"}) {
		t.Fatalf("types %v", names)
	}
	req := template(t, "request")
	ctl, _ := req.Field("type")
	if len(ctl.Choices) != 4 || ctl.Choices[1].Label.ZH != "资源协调申请" || !slices.Contains(ctl.Choices[1].Aliases, "资源协调") {
		t.Errorf("type choices %+v", ctl.Choices)
	}
	asked := func(ty string) []string {
		var out []string
		for _, f := range req.Fields {
			if req.Active(f, forms.Values{"type": ty}) && f.Key != "type" {
				out = append(out, f.Key)
			}
		}
		return out
	}
	for ty, want := range map[string][]string{
		"project":   {"topic", "goal", "departments", "contacts", "requirements", "deliverables", "standard", "due", "scope", "cadence", "risks", "coordinator"},
		"":          {"topic", "goal", "departments", "contacts", "requirements", "deliverables", "standard", "due", "scope", "cadence", "risks", "coordinator"},
		"resource":  {"topic", "goal", "departments", "contacts", "resource_kind", "resource", "quantity", "start", "end", "boundaries", "coordinator"},
		"problem":   {"topic", "problem", "impact", "departments", "contacts", "due", "coordinator"},
		"alignment": {"topic", "content", "departments", "contacts", "confirm_by", "coordinator"},
	} {
		if got := asked(ty); !slices.Equal(got, want) {
			t.Errorf("%q asks %v, want %v", ty, got, want)
		}
	}
	if ty, ok := set.Type("问题协同"); !ok || ty.Name != "problem" || ty.Timers["acknowledgement"] != "24h" {
		t.Errorf("问题协同 = %+v", ty)
	}
	if _, ok := set.Type("外包"); ok {
		t.Error("an unknown type was found")
	}
}

// TestTypesOverride: a types.yaml beside the template overrides adds a
// type (and its choice) or replaces one; a mistake in it names the type.
func TestTypesOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "types.yaml"), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`types:
  - name: procurement
    label: {zh: 采购协同, en: Procurement}
    aliases: [采购]
    fields: [type, topic, goal, departments, due]
    steps: [acknowledgement, plan, acceptance]
`)
	set, err := forms.Load(configs.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	if ty, ok := set.Type("采购"); !ok || ty.Name != "procurement" || len(set.Types()) != 5 {
		t.Fatalf("procurement: %+v, %d types", ty, len(set.Types()))
	}
	req, _ := set.Get("request")
	if f, _ := req.Field("quantity"); req.Active(f, forms.Values{"type": "procurement"}) {
		t.Error("procurement asks for a quantity")
	}
	for _, bad := range []struct{ yaml, want string }{
		{"types:\n  - name: x\n    label: {zh: 甲, en: X}\n    fields: [topic]\n    steps: [dance]\n", `unknown step "dance"`},
		{"types:\n  - name: x\n    label: {zh: 甲, en: X}\n    fields: [topic, colour]\n    steps: [acknowledgement]\n", `no field "colour"`},
		{"types:\n  - name: x\n    label: {zh: 甲}\n    fields: [topic]\n    steps: [acknowledgement]\n", "label needs both zh and en"},
		{"types:\n  - name: x\n    label: {zh: 甲, en: X}\n    fields: [topic]\n    steps: [acknowledgement, plan]\n", "no step closes it"},
	} {
		write(bad.yaml)
		_, err := forms.Load(configs.FS, dir)
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), "type x") {
			t.Errorf("%q: %v, want %q", bad.yaml, err, bad.want)
		}
	}
}
