package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// maxNesting bounds how deep a decoded body may nest; the deepest real
// request (a dimension inside a metric inside a query) is six levels.
const maxNesting = 16

var errTooDeep = errors.New("nested too deeply")

// decodeCBORBody turns an RPC v2 CBOR body into a tree. An empty body is an
// empty input structure.
func decodeCBORBody(body []byte) (map[string]any, *apiError) {
	if len(body) == 0 {
		return map[string]any{}, nil
	}
	v, err := cbor.Decode(body)
	if err != nil {
		return nil, errSerialization("Cannot read the request body as CBOR: %v.", err)
	}
	tree, err := fromCBOR(v, 0)
	if err != nil {
		return nil, errSerialization("Cannot read the request body as CBOR: %v.", err)
	}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, errSerialization("Cannot read the request body: the top level must be a CBOR map, not %s.", describe(tree))
	}
	return root, nil
}

func fromCBOR(v cbor.Value, depth int) (any, error) {
	if depth > maxNesting {
		return nil, errTooDeep
	}
	switch x := v.(type) {
	case cbor.Map:
		return cborMap(x, depth)
	case cbor.List:
		return cborList(x, depth)
	case cbor.String:
		return string(x), nil
	case cbor.Uint:
		return uint64(x), nil
	case cbor.NegInt:
		return cborNegInt(x)
	case cbor.Float32:
		return float64(x), nil
	case cbor.Float64:
		return float64(x), nil
	case cbor.Bool:
		return bool(x), nil
	case *cbor.Nil, *cbor.Undefined:
		return nil, nil
	case *cbor.Tag:
		return cborTag(x)
	case cbor.Slice:
		return nil, errors.New("a byte string appears where no member is a blob")
	}
	return nil, errors.New("unsupported CBOR item")
}

func cborMap(m cbor.Map, depth int) (any, error) {
	out := make(map[string]any, len(m))
	for k, item := range m {
		v, err := fromCBOR(item, depth+1)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

func cborList(l cbor.List, depth int) (any, error) {
	out := make([]any, len(l))
	for i, item := range l {
		v, err := fromCBOR(item, depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func cborNegInt(n cbor.NegInt) (any, error) {
	i, err := cbor.AsInt64(n)
	if err != nil {
		return nil, errors.New("integer out of range")
	}
	return i, nil
}

// cborTag accepts tag 1 (epoch-seconds timestamp), the only tag RPC v2 CBOR
// uses in these operations.
func cborTag(t *cbor.Tag) (any, error) {
	if t.ID != 1 {
		return nil, errors.New("unsupported CBOR tag " + strconv.FormatUint(t.ID, 10))
	}
	var secs float64
	switch n := t.Value.(type) {
	case cbor.Uint:
		secs = float64(n)
	case cbor.NegInt:
		i, err := cbor.AsInt64(n)
		if err != nil {
			return nil, errors.New("timestamp out of range")
		}
		secs = float64(i)
	case cbor.Float64:
		secs = float64(n)
	case cbor.Float32:
		secs = float64(n)
	default:
		return nil, errors.New("tag 1 (timestamp) must enclose a number")
	}
	ts, ok := epochTime(secs)
	if !ok {
		return nil, errors.New("timestamp out of range")
	}
	return ts, nil
}

// decodeJSONBody turns an AWS JSON 1.0 body into a tree.
func decodeJSONBody(body []byte) (map[string]any, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, errSerialization("Cannot read the request body as JSON: %s.", jsonProblem(body, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errSerialization("Cannot read the request body as JSON: unexpected data after the top-level object.")
	}
	if jsonDepth(root, 0) > maxNesting {
		return nil, errSerialization("Cannot read the request body as JSON: %v.", errTooDeep)
	}
	m, ok := root.(map[string]any)
	if !ok {
		return nil, errSerialization("Cannot read the request body: the top level must be a JSON object, not %s.", describe(root))
	}
	return m, nil
}

func jsonDepth(v any, depth int) int {
	deepest := depth
	switch x := v.(type) {
	case map[string]any:
		for _, item := range x {
			deepest = max(deepest, jsonDepth(item, depth+1))
		}
	case []any:
		for _, item := range x {
			deepest = max(deepest, jsonDepth(item, depth+1))
		}
	}
	return deepest
}

// decodeQueryForm turns AWS Query parameters into a tree: "A.B=v" nests,
// "A.member.N" is the N-th (1-based) element of list A.
func decodeQueryForm(form url.Values) (map[string]any, *apiError) {
	root := map[string]any{}
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "Action" || k == "Version" {
			continue
		}
		if err := setPath(root, strings.Split(k, "."), form.Get(k)); err != nil {
			return nil, errMalformedQuery("The parameter %s is malformed: %v.", k, err)
		}
	}
	// The top level is the request structure itself, never a list.
	for k, child := range root {
		v, err := listify(child, 1)
		if err != nil {
			return nil, errMalformedQuery("The request's parameters are malformed: %v.", err)
		}
		root[k] = v
	}
	return root, nil
}

func setPath(node map[string]any, path []string, value string) error {
	if len(path) > maxNesting*2 {
		return errTooDeep
	}
	head := path[0]
	if head == "" {
		return errors.New("empty name segment")
	}
	if len(path) == 1 {
		if _, exists := node[head]; exists {
			return errors.New("given both as a value and as a structure")
		}
		node[head] = value
		return nil
	}
	child, exists := node[head]
	if !exists {
		child = map[string]any{}
		node[head] = child
	}
	m, ok := child.(map[string]any)
	if !ok {
		return errors.New("given both as a value and as a structure")
	}
	return setPath(m, path[1:], value)
}

// listify turns every {"member": {"1": …, "2": …}} into a list ordered by index.
func listify(v any, depth int) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	if depth > maxNesting*2 {
		return nil, errTooDeep
	}
	for k, child := range m {
		c, err := listify(child, depth+1)
		if err != nil {
			return nil, err
		}
		m[k] = c
	}
	members, isList := m["member"]
	if !isList || len(m) != 1 {
		return m, nil
	}
	return memberList(members)
}

func memberList(v any) (any, error) {
	byIndex, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("a list member needs an index, as in member.1")
	}
	keys := make([]string, 0, len(byIndex))
	index := make(map[string]int, len(byIndex))
	for k := range byIndex {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || i > 100000 {
			return nil, errors.New("list index " + strconv.Quote(k) + " is not a positive number")
		}
		keys, index[k] = append(keys, k), i
	}
	sort.Slice(keys, func(a, b int) bool { return index[keys[a]] < index[keys[b]] })
	out := make([]any, len(keys))
	for j, k := range keys {
		out[j] = byIndex[k]
	}
	return out, nil
}
