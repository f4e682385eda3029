package sandbox

import (
	"encoding/base64"
	"strconv"
)

// pageLimit is the most items any list operation returns at once: ListFunctions
// "returns a maximum of 50 items in each response, even if you set the number
// higher" (D) [S55].
const pageLimit = 50

// pageRequest is the Marker and MaxItems of a list call.
type pageRequest struct {
	marker   string
	maxItems int
}

// readPageRequest parses Marker and MaxItems, checking MaxItems against the
// operation's range [1, maxAllowed].
func readPageRequest(req request, maxAllowed int) (pageRequest, *apiError) {
	q := req.URL.Query()
	page := pageRequest{marker: q.Get("Marker"), maxItems: pageLimit}
	raw := q.Get("MaxItems")
	if raw == "" {
		return page, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return page, errInvalidParameter("MaxItems must be a whole number, not %q.", raw)
	case n < 1:
		return page, errValidation(tooLow(n, "maxItems", 1))
	case n > maxAllowed:
		return page, errValidation(tooHigh(n, "maxItems", maxAllowed))
	}
	page.maxItems = min(n, pageLimit)
	return page, nil
}

// paginate cuts one page out of items, which are in a stable order and named
// by key. The marker is the opaque token of the last key already returned.
func paginate[T any](items []T, key func(T) string, page pageRequest) ([]T, *string, *apiError) {
	start := 0
	if page.marker != "" {
		last, err := base64.RawURLEncoding.DecodeString(page.marker)
		if err != nil {
			return nil, nil, errInvalidParameter("The marker %q is not valid: pass the NextMarker of the previous page.", page.marker)
		}
		start = indexAfter(items, key, string(last))
		if start < 0 {
			return nil, nil, errInvalidParameter("The marker %q is not valid: pass the NextMarker of the previous page.", page.marker)
		}
	}
	end := min(start+page.maxItems, len(items))
	out := items[start:end]
	if end == len(items) {
		return out, nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	return out, &next, nil
}

func indexAfter[T any](items []T, key func(T) string, last string) int {
	for i, item := range items {
		if key(item) == last {
			return i + 1
		}
	}
	return -1
}
