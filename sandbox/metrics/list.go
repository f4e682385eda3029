package metrics

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"
)

// listMetrics answers a ListMetrics request at time now: the metrics with
// published data, filtered, sorted by namespace, name and dimensions, 500 a
// page.
func (s *Store) listMetrics(req listMetricsRequest, now time.Time) (listMetricsResponse, *apiError) {
	filter, err := planListMetrics(req)
	if err != nil {
		return listMetricsResponse{}, err
	}
	after := ""
	if req.NextToken != nil && *req.NextToken != "" {
		if after, err = decodeListToken(*req.NextToken, filter); err != nil {
			return listMetricsResponse{}, err
		}
	}
	matches := s.matchingMetrics(filter, now)
	offset := sort.Search(len(matches), func(i int) bool { return seriesKey(matches[i]) > after })
	end := min(offset+listMetricsPageSize, len(matches))
	resp := listMetricsResponse{Metrics: matches[offset:end]}
	if end < len(matches) {
		resp.NextToken = encodeListToken(seriesKey(matches[end-1]), filter)
	}
	return resp, nil
}

type listFilter struct {
	namespace, metricName string
	dimensions            []Dimension // Value "" matches any value
	recentOnly            bool
}

func planListMetrics(req listMetricsRequest) (listFilter, *apiError) {
	var f listFilter
	if req.Namespace != nil {
		f.namespace = *req.Namespace
	}
	if req.MetricName != nil {
		f.metricName = *req.MetricName
	}
	if len(req.Dimensions) > maxDimensionFilters {
		return f, errInvalidValue("The collection Dimensions must not have a size greater than %d.", maxDimensionFilters)
	}
	dims, err := planDimensions(req.Dimensions, "Dimensions", false)
	if err != nil {
		return f, err
	}
	f.dimensions = dims
	if req.RecentlyActive != nil {
		if *req.RecentlyActive != recentlyActiveDefault {
			return f, errEnum(*req.RecentlyActive, "recentlyActive", []string{recentlyActiveDefault})
		}
		f.recentOnly = true
	}
	return f, nil
}

func (s *Store) matchingMetrics(f listFilter, now time.Time) []MetricID {
	horizon := s.horizon(now)
	nowSec := unixSecond(now)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []MetricID
	for _, sr := range s.series {
		first, last, ok := sr.activity(nowSec)
		if !ok || first >= horizon || (f.recentOnly && last < nowSec-3*3600) {
			continue
		}
		if f.matches(sr.id) {
			out = append(out, sr.id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return seriesKey(out[i]) < seriesKey(out[j]) })
	return out
}

func (f listFilter) matches(id MetricID) bool {
	if (f.namespace != "" && id.Namespace != f.namespace) || (f.metricName != "" && id.MetricName != f.metricName) {
		return false
	}
	for _, want := range f.dimensions {
		if !hasDimension(id.Dimensions, want) {
			return false
		}
	}
	return true
}

func hasDimension(dims []Dimension, want Dimension) bool {
	for _, d := range dims {
		if d.Name == want.Name && (want.Value == "" || d.Value == want.Value) {
			return true
		}
	}
	return false
}

// A ListMetrics token is a cursor: the key of the last metric returned, in
// the listing's sort order, so the next page starts after it however many
// metrics appeared in between (an offset would repeat or skip some). It
// carries a fingerprint of the filter, so it only continues the listing it
// came from.
const listTokenVersion = "l1"

func encodeListToken(lastKey string, f listFilter) string {
	raw := fmt.Sprintf("%s:%x:%s", listTokenVersion, f.fingerprint(), lastKey)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeListToken(tok string, f listFilter) (string, *apiError) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	parts := strings.SplitN(string(raw), ":", 3)
	if err != nil || len(parts) != 3 || parts[0] != listTokenVersion || parts[1] != strconv.FormatUint(f.fingerprint(), 16) {
		return "", errListNextToken()
	}
	return parts[2], nil
}

func (f listFilter) fingerprint() uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%t|", f.namespace, f.metricName, f.recentOnly)
	for _, d := range f.dimensions {
		fmt.Fprintf(h, "%s=%s|", d.Name, d.Value)
	}
	return h.Sum64()
}
