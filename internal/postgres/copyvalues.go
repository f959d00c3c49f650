package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// convert turns a value read from another store into one of col's type,
// as store.Copier's WriteRows promises: an instant as time.Time or RFC
// 3339 text (SQLite keeps "2006-01-02T15:04:05.000000000Z", and documents'
// instants as encoding/json wrote them, in any zone), empty text for "none" where
// the column allows NULL; a document as text or bytes; a flag as bool or
// 0/1; a number as int64, or float64 where it is whole. Anything else is
// an error naming the value's type, never a guess.
func convert(col column, v any) (any, error) {
	if v == nil {
		if !col.nullable {
			return nil, errors.New("NULL for a column that requires a value")
		}
		return nil, nil
	}
	if b, ok := v.([]byte); ok && col.typ != "bytea" {
		v = string(b)
	}
	switch col.typ {
	case "timestamptz", "timestamp":
		return convertInstant(col, v)
	case "jsonb", "json":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("a document as %T", v)
		}
		if s == "" && col.nullable {
			return nil, nil
		}
		if !json.Valid([]byte(s)) {
			return nil, errors.New("a document that is not JSON")
		}
		if col.typ == "jsonb" {
			s = string(jsonbSafe([]byte(s)))
		}
		return s, nil
	case "bool":
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		}
		return nil, fmt.Errorf("a flag as %T %v", v, v)
	case "int8", "int4", "int2":
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("an integer as %T %v", v, v)
	case "float8", "float4", "numeric":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
		return nil, fmt.Errorf("a number as %T %v", v, v)
	case "text", "varchar", "bpchar":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("text as %T", v)
		}
		// PostgreSQL's text holds neither NUL nor invalid UTF-8, which
		// SQLite's may: such a character becomes U+FFFD rather than the
		// whole copy failing on one row (the engine's own writes do the
		// same, jsonbSafe).
		s = strings.ToValidUTF8(s, "\uFFFD")
		return strings.ReplaceAll(s, "\x00", "\uFFFD"), nil
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	}
	return nil, fmt.Errorf("a %T for a column of type %s", v, col.typ)
}

// convertInstant is an instant for a timestamptz column.
func convertInstant(col column, v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		if x == "" {
			if col.nullable {
				return nil, nil // SQLite's "none"
			}
			return nil, errors.New("no instant for a column that requires one")
		}
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return nil, fmt.Errorf("not an instant: %q", x)
		}
		// The zero instant is "none" where the column allows NULL (the
		// store writes NULL for it); collaborations.due keeps it.
		if t.IsZero() && col.nullable {
			return nil, nil
		}
		return t, nil
	}
	return nil, fmt.Errorf("an instant as %T", v)
}
