package bot_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusalsCarryWho: a person a refusal names travels as a bot.Who
// (which the reply writes by name), never as the bare id: this finds
// every Args literal in bot with a PersonID in it, converted to a string
// or not.
func TestRefusalsCarryWho(t *testing.T) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("github.com/collabot/collabot/bot", fset, files, info); err != nil {
		t.Fatal(err)
	}
	isID := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		if !ok {
			return false
		}
		s := types.TypeString(tv.Type, nil)
		return s == "github.com/collabot/collabot/bot.PersonID" || s == "[]github.com/collabot/collabot/bot.PersonID"
	}
	checked := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "unknownPerson" {
				return false // the id as typed, of someone the directory does not know
			}
			lit, ok := n.(*ast.CompositeLit)
			if !ok || types.TypeString(info.Types[lit].Type, nil) != "github.com/collabot/collabot/bot.Args" {
				return true
			}
			checked++
			for _, el := range lit.Elts {
				v := el.(*ast.KeyValueExpr).Value
				if call, ok := v.(*ast.CallExpr); ok && len(call.Args) == 1 && isID(call.Args[0]) {
					if tv := info.Types[call.Fun]; tv.IsType() && tv.Type == types.Typ[types.String] {
						v = call.Args[0] // string(id)
					}
				}
				if isID(v) {
					t.Errorf("%s: a refusal names a person by id; use Who(…) or Whos(…)", fset.Position(v.Pos()))
				}
			}
			return true
		})
	}
	if checked < 50 {
		t.Fatalf("only %d Args literals found: the check reads the wrong files", checked)
	}
}
