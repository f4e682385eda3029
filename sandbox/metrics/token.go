package metrics

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// pageToken is where a paginated GetMetricData left off: queries before
// query are finished, and query continues after the datapoint at cursor (unix
// seconds) in scan order. A cursor rather than an offset keeps paging right
// while new data arrives.
type pageToken struct {
	query  int
	cursor int64
}

// fingerprint identifies the request a token belongs to, so a token is
// refused with another request's parameters.
func (p *dataPlan) fingerprint() uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%t|", p.start.Unix(), p.end.Unix(), p.descending)
	for _, q := range p.queries {
		fmt.Fprintf(h, "%s|%s|%d|%v|%s|", q.id, seriesKey(canonical(q.metric)), q.period, q.stat, q.unit)
	}
	return h.Sum64()
}

func encodePageToken(t pageToken, fingerprint uint64) string {
	raw := fmt.Sprintf("v1:%x:%d:%d", fingerprint, t.query, t.cursor)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodePageToken(s string, fingerprint uint64) (*pageToken, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 4 || parts[0] != "v1" || parts[1] != strconv.FormatUint(fingerprint, 16) {
		return nil, false
	}
	query, err1 := strconv.Atoi(parts[2])
	cursor, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || query < 0 {
		return nil, false
	}
	return &pageToken{query: query, cursor: cursor}, true
}
