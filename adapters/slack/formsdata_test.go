package slack

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFormsAreData guards the line between the engine and the adapters:
// no adapter reads the templates (internal/forms) or keeps a copy of the
// engine's router, and a modal's submission never reads the engine's
// wording back ("⚠️ …", "• label: msg"). The engine describes forms and
// takes submissions as data (bot.Form, bot.Submission).
func TestFormsAreData(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/collabot/collabot/internal/forms" {
				t.Errorf("%s imports %s: ask the engine for the form instead", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("commands.go"); err == nil {
		t.Error("commands.go is back: the engine's router is the only one")
	}
	sources, _ := filepath.Glob("*.go")
	for _, path := range sources {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// The router copy's aliases: commands are the engine's to name.
		for _, alias := range []string{`"发起协作"`, `"对接确认"`, `"进度更新"`, `"提交成果"`} {
			if strings.Contains(string(raw), alias) {
				t.Errorf("%s names the command %s", path, alias)
			}
		}
	}
	raw, err := os.ReadFile("submit.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, scrape := range []string{"⚠️", `"• "`, "CutPrefix(r.Body", "strings.Split(r.Body"} {
		if strings.Contains(string(raw), scrape) {
			t.Errorf("submit.go reads the engine's replies (%q): use the FormResult's problems", scrape)
		}
	}
}
