package bot_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/collabot/collabot/internal/words"
)

// TestMain fails the package when a refusal the tests met asked the
// catalogue (internal/words) for a key or a placeholder it has not:
// assertRefusal writes every refusal in both languages.
func TestMain(m *testing.M) {
	code := m.Run()
	if missing := words.Missing(); len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: refusals asked for texts not in internal/words: %q\n", missing)
		code = 1
	}
	os.Exit(code)
}
