package web_test

import (
	"testing"

	"github.com/collabot/collabot/internal/words/wordstest"
)

// TestMain fails the package when a page asked for a text the catalogue
// lacks (a key, or a placeholder left without a value).
func TestMain(m *testing.M) { wordstest.Main(m) }
