package engine_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/collabot/collabot/internal/words"
)

// TestMain fails the package when any test rendered a message with a key
// or a placeholder the catalogue lacks: production falls back and logs,
// the tests must not.
func TestMain(m *testing.M) {
	code := m.Run()
	if missing := words.Missing(); len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: texts asked for but not in internal/words: %q\n", missing)
		code = 1
	}
	os.Exit(code)
}
