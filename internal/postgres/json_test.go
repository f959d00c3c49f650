package postgres

import "testing"

func TestJSONBSafe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"a":"x"}`, `{"a":"x"}`},
		{`{"a":"\u0000"}`, `{"a":"\ufffd"}`},
		{`{"a":"x\u0000y\u0000"}`, `{"a":"x\ufffdy\ufffd"}`},
		// a backslash, then the text u0000: not an escape of NUL
		{`{"a":"\\u0000"}`, `{"a":"\\u0000"}`},
		// a backslash, then NUL
		{`{"a":"\\\u0000"}`, `{"a":"\\\ufffd"}`},
	} {
		if got := string(jsonbSafe([]byte(tt.in))); got != tt.want {
			t.Errorf("jsonbSafe(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
