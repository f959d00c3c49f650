package recent_test

import (
	"fmt"
	"testing"

	"github.com/collabot/collabot/internal/recent"
)

func TestSet(t *testing.T) {
	s := recent.New(3)
	for _, k := range []string{"a", "b", "c"} {
		if !s.Add(k) {
			t.Fatalf("%s was not new", k)
		}
	}
	if s.Add("b") {
		t.Error("b was taken for new twice")
	}
	s.Add("d") // pushes out a, the oldest
	if s.Has("a") || !s.Has("b") || !s.Has("d") {
		t.Errorf("after d: a %v, b %v, d %v", s.Has("a"), s.Has("b"), s.Has("d"))
	}
	s.Forget("b")
	if s.Has("b") || !s.Add("b") {
		t.Error("a forgotten key is not new again")
	}
	// A forgotten key's old slot does not evict the key that reuses it.
	s = recent.New(2)
	s.Add("x")
	s.Forget("x")
	s.Add("y")
	s.Add("x")
	s.Add("z") // evicts the oldest slot's key
	if !s.Has("z") {
		t.Error("z lost")
	}
	big := recent.New(1000)
	for i := range 5000 {
		big.Add(fmt.Sprint(i))
	}
	if big.Has("3999") || !big.Has("4000") || !big.Has("4999") {
		t.Error("the set does not keep exactly the last 1000")
	}
}
