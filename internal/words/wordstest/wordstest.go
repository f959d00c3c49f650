// Package wordstest fails a package's tests when any of them asked the
// wording catalogue (internal/words) for a key or a placeholder it lacks:
// production falls back and logs, the tests must not.
package wordstest

import (
	"fmt"
	"os"
	"testing"

	"github.com/collabot/collabot/internal/words"
)

// Main runs the tests and then checks the catalogue's misses; use it as
// func TestMain(m *testing.M) { wordstest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if missing := words.Missing(); len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: texts asked for but not in internal/words: %q\n", missing)
		code = 1
	}
	os.Exit(code)
}
