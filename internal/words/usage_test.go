package words

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
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
// templateKey is a catalogue key quoted in an HTML template.
var templateKey = regexp.MustCompile(`"(page\.[a-z0-9_.]+)"`)

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
	walkSources(t, func(fset *token.FileSet, n ast.Node) {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !strings.Contains(s, ".") || !keyLike.MatchString(s) {
			return
		}
		if ns, _, _ := strings.Cut(s, "."); namespaces[ns] {
			out[s] = append(out[s], fset.Position(lit.Pos()).String())
		}
	})
	// The web board's templates name their texts too ({{.W.T "page.…"}}).
	pages, err := filepath.Glob("../web/templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range pages {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(raw), -1) {
			out[m[1]] = append(out[m[1]], path)
		}
	}
	return out
}

// walkSources calls visit with every node of the module's Go sources,
// tests excepted.
func walkSources(t *testing.T, visit func(*token.FileSet, ast.Node)) {
	t.Helper()
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
			visit(fset, n)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
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

// TestArgsFillPlaceholders: where the code names a key and gives its
// arguments on the spot — words.Get(lang, "reply.x", words.Args{…}),
// bot.Refuse(code, "refuse.x", bot.Args{…}), bot.Msg{Key: "refuse.x",
// Args: …} — the arguments are exactly the text's placeholders, so a
// refusal or reply never shows a gap where a value was forgotten and no
// value is given to a text that does not say it.
func TestArgsFillPlaceholders(t *testing.T) {
	checked := 0
	check := func(pos token.Position, keyLit ast.Expr, args ast.Expr) {
		lit, ok := keyLit.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		key, err := strconv.Unquote(lit.Value)
		if err != nil || !Has(bot.Chinese, key) {
			return
		}
		var names []string
		switch a := args.(type) {
		case *ast.Ident:
			if a.Name != "nil" {
				return
			}
		case *ast.CompositeLit:
			if !isArgsType(a.Type) {
				return
			}
			for _, e := range a.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					return
				}
				k, ok := kv.Key.(*ast.BasicLit)
				if !ok {
					return
				}
				name, _ := strconv.Unquote(k.Value)
				names = append(names, name)
			}
		default:
			return
		}
		slices.Sort(names)
		checked++
		if want := Placeholders(Raw(bot.Chinese, key)); !slices.Equal(names, want) {
			t.Errorf("%s: %s is given %v, its text says %v", pos, key, names, want)
		}
	}
	walkSources(t, func(fset *token.FileSet, n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			for i := 0; i+1 < len(n.Args); i++ {
				check(fset.Position(n.Args[i].Pos()), n.Args[i], n.Args[i+1])
			}
		case *ast.CompositeLit:
			var key, args ast.Expr
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					switch id, _ := kv.Key.(*ast.Ident); {
					case id != nil && id.Name == "Key":
						key = kv.Value
					case id != nil && id.Name == "Args":
						args = kv.Value
					}
				}
			}
			if key != nil {
				if args == nil {
					args = ast.NewIdent("nil")
				}
				check(fset.Position(n.Pos()), key, args)
			}
		}
	})
	t.Logf("checked %d uses of keys with their arguments", checked)
	if checked < 300 {
		t.Errorf("checked only %d uses of keys with their arguments", checked)
	}
}

func isTextType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Text"
	case *ast.SelectorExpr:
		return e.Sel.Name == "Text"
	}
	return false
}

func isKey(e ast.Expr, name string) bool {
	kv, ok := e.(*ast.KeyValueExpr)
	if !ok {
		return false
	}
	id, ok := kv.Key.(*ast.Ident)
	return ok && id.Name == name
}

// isArgsType is Args, words.Args or bot.Args.
func isArgsType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Args"
	case *ast.SelectorExpr:
		return e.Sel.Name == "Args"
	}
	return false
}

// pairsMayStay are the files that may still write a Chinese literal next
// to its English twin, and why.
var pairsMayStay = map[string]string{
	"bot/status.go": "status words: the labels people read are also what they type, and bot parses them back",
}

// TestNoWordingPairs: wording is not written as a Chinese literal followed
// by its English twin — bot.Text{ZH: "…", EN: "…"}, tr("…", "…"),
// fail(code, "…", "…") — outside the catalogue, but in pairsMayStay.
func TestNoWordingPairs(t *testing.T) {
	han := func(s string) bool { return strings.ContainsFunc(s, isHan) }
	latin := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' })
	}
	str := func(e ast.Expr) (string, bool) {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			e = kv.Value
		}
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	seen := map[string]bool{}
	pairs := func(fset *token.FileSet, list []ast.Expr) {
		for i := 0; i+1 < len(list); i++ {
			zh, ok1 := str(list[i])
			en, ok2 := str(list[i+1])
			if !ok1 || !ok2 || !han(zh) || han(en) || !latin(en) {
				continue
			}
			if i+2 < len(list) {
				if next, ok := str(list[i+2]); ok && han(next) {
					continue // a list of words people type: "rename", "改名", "title", "名称"
				}
			}
			pos := fset.Position(list[i].Pos())
			file := strings.TrimPrefix(filepath.ToSlash(pos.Filename), "../../")
			if _, ok := pairsMayStay[file]; ok {
				seen[file] = true
				continue
			}
			t.Errorf("%s: %q / %q is a pair of literals; put it in the catalogue", pos, zh, en)
		}
	}
	walkSources(t, func(fset *token.FileSet, n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			pairs(fset, n.Args)
		case *ast.CompositeLit:
			// A bot.Text, or a literal of one whose type is left out;
			// lists of words people type ([]string{"cancel", "取消"}) are
			// vocabulary, not wording.
			if isTextType(n.Type) || n.Type == nil && len(n.Elts) == 2 && isKey(n.Elts[0], "ZH") {
				pairs(fset, n.Elts)
			}
		}
	})
	for file, why := range pairsMayStay {
		if !seen[file] {
			t.Errorf("%s has no pair left (%s): take it off pairsMayStay", file, why)
		}
	}
}
