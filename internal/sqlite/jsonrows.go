package sqlite

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"
)

// jsonRows writes rows of values as one JSON array of arrays, which a
// statement reads with json_each: a batch of any size is one statement
// with a fixed text and a handful of parameters (SQLite binds at most
// 32,766), and building it allocates once per batch, not per value.
type jsonRows struct {
	b      []byte
	starts []int // where each row begins in b
}

// reset starts a new array.
func (w *jsonRows) reset() { w.b, w.starts = append(w.b[:0], '['), w.starts[:0] }

// open begins a row; close ends it.
func (w *jsonRows) open() {
	w.starts = append(w.starts, len(w.b))
	w.b = append(w.b, '[')
}

func (w *jsonRows) close() { w.end(']') }

// end replaces the comma after the last value (if any) with c, then
// writes a comma.
func (w *jsonRows) end(c byte) {
	if n := len(w.b); n > 0 && w.b[n-1] == ',' {
		w.b = w.b[:n-1]
	}
	w.b = append(w.b, c, ',')
}

func (w *jsonRows) int(n int64) { w.b = append(strconv.AppendInt(w.b, n, 10), ',') }

func (w *jsonRows) float(f float64) { w.b = append(strconv.AppendFloat(w.b, f, 'g', -1, 64), ',') }

// stamp writes an instant as encoding/json does (jsonStamp).
func (w *jsonRows) stamp(t time.Time) {
	w.b = append(w.b, '"')
	if !t.IsZero() {
		w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	}
	w.b = append(w.b, '"', ',')
}

// str writes a JSON string; invalid UTF-8 becomes U+FFFD, as
// encoding/json writes it.
func (w *jsonRows) str(s string) {
	const hex = "0123456789abcdef"
	b := append(w.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	w.b = append(b, '"', ',')
}

// String is the array of the rows written since reset.
func (w *jsonRows) String() string {
	if len(w.starts) == 0 {
		return "[]"
	}
	last := len(w.b) - 1 // the comma after the last row
	w.b[last] = ']'
	s := string(w.b)
	w.b[last] = ','
	return s
}

// row is the text of row i, with its trailing comma.
func (w *jsonRows) row(i int) []byte {
	if i+1 < len(w.starts) {
		return w.b[w.starts[i]:w.starts[i+1]]
	}
	return w.b[w.starts[i]:]
}

// duplicates says whether two rows are the same.
func (w *jsonRows) duplicates() bool {
	for i := range w.starts {
		for j := i + 1; j < len(w.starts); j++ {
			if bytes.Equal(w.row(i), w.row(j)) {
				return true
			}
		}
	}
	return false
}
