package bot

import "testing"

// TestFilterSearchID: a search names a collaboration by its reference or
// its number; anything else is a topic only.
func TestFilterSearchID(t *testing.T) {
	for search, want := range map[string]CollabID{"COL-12": 12, "col-7": 7, "12": 12, "0": 0, "-3": 0, "接口": 0, "COL-x": 0, "": 0} {
		if got := (Filter{Search: search}).SearchID(); got != want {
			t.Errorf("%q: %d, want %d", search, got, want)
		}
	}
}
