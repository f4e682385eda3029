package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Every protocol decodes its body into a tree of map[string]any, []any and
// leaves; reader then reads the request members from it. Typed protocols
// (CBOR, JSON) give typed leaves: string, bool, float64, uint64, int64,
// json.Number, time.Time. AWS Query gives only strings, which reader parses
// (textual). The first problem is kept and reported in the protocol's terms.
type reader struct {
	textual bool
	err     *apiError
}

func (r *reader) fail(path, want string, got any) {
	if r.err != nil {
		return
	}
	if r.textual {
		r.err = errInvalidValue("Value '%v' for parameter %s is invalid: expected %s.", got, path, want)
		return
	}
	r.err = errSerialization("Cannot read the request: %s must be %s, not %s.", path, want, describe(got))
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a structure"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case time.Time:
		return "a timestamp"
	default:
		return "a number"
	}
}

func (r *reader) object(v any, path string) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	case nil:
		return nil
	case string:
		if r.textual && m == "" {
			return nil
		}
	}
	r.fail(path, "a structure", v)
	return nil
}

func (r *reader) list(v any, path string) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case nil:
		return nil, false
	case string:
		if r.textual && l == "" {
			return []any{}, true // "Member=" is an empty list in AWS Query
		}
	}
	r.fail(path, "a list", v)
	return nil, false
}

func (r *reader) str(v any, path string) *string {
	switch s := v.(type) {
	case nil:
		return nil
	case string:
		return &s
	}
	r.fail(path, "a string", v)
	return nil
}

func (r *reader) boolean(v any, path string) *bool {
	switch b := v.(type) {
	case nil:
		return nil
	case bool:
		return &b
	case string:
		if r.textual {
			if p, err := strconv.ParseBool(b); err == nil {
				return &p
			}
		}
	}
	r.fail(path, "a boolean", v)
	return nil
}

func (r *reader) integer(v any, path string) *int64 {
	if v == nil {
		return nil
	}
	if n, ok := toInt(v, r.textual); ok {
		return &n
	}
	r.fail(path, "an integer", v)
	return nil
}

func toInt(v any, textual bool) (int64, bool) {
	switch n := v.(type) {
	case uint64:
		return int64(n), n <= math.MaxInt64
	case int64:
		return n, true
	case float64:
		return int64(n), n == math.Trunc(n) && math.Abs(n) < 1<<62
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case string:
		if textual {
			i, err := strconv.ParseInt(n, 10, 64)
			return i, err == nil
		}
	}
	return 0, false
}

func (r *reader) timestamp(v any, path string) *time.Time {
	if v == nil {
		return nil
	}
	if t, ok := toTime(v); ok {
		return &t
	}
	r.fail(path, "a timestamp", v)
	return nil
}

// toTime accepts epoch seconds (JSON, CBOR tag 1) and ISO 8601 (AWS Query).
func toTime(v any) (time.Time, bool) {
	var secs float64
	switch n := v.(type) {
	case time.Time:
		return n, true
	case string:
		return parseISOTime(n)
	case uint64:
		secs = float64(n)
	case int64:
		secs = float64(n)
	case float64:
		secs = n
	case json.Number:
		f, err := n.Float64()
		if err != nil {
			return time.Time{}, false
		}
		secs = f
	default:
		return time.Time{}, false
	}
	return epochTime(secs)
}

// epochTime converts epoch seconds, refusing values no clock will reach.
func epochTime(secs float64) (time.Time, bool) {
	if math.IsNaN(secs) || math.Abs(secs) > 1e11 {
		return time.Time{}, false
	}
	whole := math.Floor(secs)
	return time.Unix(int64(whole), int64((secs-whole)*1e9)).UTC(), true
}

func parseISOTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return epochTime(secs)
	}
	return time.Time{}, false
}

func memberPath(parent string, i int) string {
	return fmt.Sprintf("%s.member.%d", parent, i+1)
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return strings.Join([]string{parent, name}, ".")
}
