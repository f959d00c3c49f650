package words

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// keyLike is a string literal that names a catalogue key ("notice.x.title")
// or the fixed start of keys made at run time ("timer.").
var keyLike = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$`)

// literals are the key-like string literals of the module's Go sources,
// tests excepted, by the file they are in.
func literals(t *testing.T) map[string][]string {
	t.Helper()
	namespaces := map[string]bool{}
	for _, k := range Keys(bot.Chinese) {
		ns, _, _ := strings.Cut(k, ".")
		namespaces[ns] = true
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "../.." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !strings.Contains(s, ".") || !keyLike.MatchString(s) {
				return true
			}
			if ns, _, _ := strings.Cut(s, "."); namespaces[ns] {
				out[s] = append(out[s], fset.Position(lit.Pos()).String())
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryUsedKeyExists: a key the code asks for is in the catalogue (a
// typo or a forgotten text fails here, not in front of a user).
func TestEveryUsedKeyExists(t *testing.T) {
	for s, where := range literals(t) {
		if strings.HasSuffix(s, ".") {
			if !slices.ContainsFunc(Keys(bot.Chinese), func(k string) bool { return strings.HasPrefix(k, s) }) {
				t.Errorf("%s: no key starts with %q", where[0], s)
			}
			continue
		}
		if !Has(bot.Chinese, s) || !Has(bot.English, s) {
			t.Errorf("%s: key %q has no text", where[0], s)
		}
	}
}

// TestEveryKeyUsed: a text no code asks for is dead wording. Keys made at
// run time ("timer." + name) count as used through their fixed start;
// the tests of their families (every timer, every notice kind) check that
// each has its text and no more.
func TestEveryKeyUsed(t *testing.T) {
	used := literals(t)
	var prefixes []string
	for s := range used {
		if strings.HasSuffix(s, ".") {
			prefixes = append(prefixes, s)
		}
	}
	for _, k := range Keys(bot.Chinese) {
		if _, ok := used[k]; ok {
			continue
		}
		if slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		t.Errorf("key %q is in the catalogue but no code uses it", k)
	}
}
