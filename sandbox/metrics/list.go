package metrics

import (
	"fmt"
	"sort"
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
	matches := s.matchingMetrics(filter, now)
	offset := 0
	if req.NextToken != nil && *req.NextToken != "" {
		offset, err = decodeListToken(*req.NextToken, len(matches))
		if err != nil {
			return listMetricsResponse{}, err
		}
	}
	end := min(offset+listMetricsPageSize, len(matches))
	resp := listMetricsResponse{Metrics: matches[offset:end]}
	if end < len(matches) {
		resp.NextToken = encodeListToken(end)
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

func encodeListToken(offset int) string { return fmt.Sprintf("list-%d", offset) }

func decodeListToken(tok string, total int) (int, *apiError) {
	var offset int
	if _, err := fmt.Sscanf(tok, "list-%d", &offset); err != nil || offset < 0 || offset > total ||
		encodeListToken(offset) != tok {
		return 0, errNextToken()
	}
	return offset, nil
}
