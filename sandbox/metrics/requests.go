package metrics

// readGetMetricData reads a GetMetricData request from a decoded body.
func (r *reader) readGetMetricData(root map[string]any) getMetricDataRequest {
	var req getMetricDataRequest
	if qs, ok := r.list(root["MetricDataQueries"], "MetricDataQueries"); ok {
		req.HasQueries = true
		for i, q := range qs {
			req.Queries = append(req.Queries, r.readQuery(q, memberPath("MetricDataQueries", i)))
		}
	}
	req.StartTime = r.timestamp(root["StartTime"], "StartTime")
	req.EndTime = r.timestamp(root["EndTime"], "EndTime")
	req.NextToken = r.str(root["NextToken"], "NextToken")
	req.ScanBy = r.str(root["ScanBy"], "ScanBy")
	req.MaxDatapoints = r.integer(root["MaxDatapoints"], "MaxDatapoints")
	if lo := r.object(root["LabelOptions"], "LabelOptions"); lo != nil {
		r.str(lo["Timezone"], "LabelOptions.Timezone") // only affects dynamic labels, which the sandbox does not expand
	}
	return req
}

func (r *reader) readQuery(v any, path string) metricDataQuery {
	m := r.object(v, path)
	if m == nil {
		return metricDataQuery{}
	}
	q := metricDataQuery{
		ID:         r.str(m["Id"], join(path, "Id")),
		Label:      r.str(m["Label"], join(path, "Label")),
		ReturnData: r.boolean(m["ReturnData"], join(path, "ReturnData")),
		Period:     r.integer(m["Period"], join(path, "Period")),
		Expression: r.str(m["Expression"], join(path, "Expression")),
	}
	r.str(m["AccountId"], join(path, "AccountId"))
	if ms := r.object(m["MetricStat"], join(path, "MetricStat")); ms != nil {
		q.MetricStat = r.readMetricStat(ms, join(path, "MetricStat"))
	}
	return q
}

func (r *reader) readMetricStat(m map[string]any, path string) *metricStat {
	ms := &metricStat{
		Period: r.integer(m["Period"], join(path, "Period")),
		Stat:   r.str(m["Stat"], join(path, "Stat")),
		Unit:   r.str(m["Unit"], join(path, "Unit")),
	}
	if metric := r.object(m["Metric"], join(path, "Metric")); metric != nil {
		ms.Metric = r.readMetric(metric, join(path, "Metric"))
	}
	return ms
}

func (r *reader) readMetric(m map[string]any, path string) *metricRef {
	return &metricRef{
		Namespace:  r.str(m["Namespace"], join(path, "Namespace")),
		MetricName: r.str(m["MetricName"], join(path, "MetricName")),
		Dimensions: r.readDimensions(m["Dimensions"], join(path, "Dimensions")),
	}
}

func (r *reader) readDimensions(v any, path string) []dimensionIn {
	items, _ := r.list(v, path)
	out := make([]dimensionIn, 0, len(items))
	for i, item := range items {
		at := memberPath(path, i)
		d := r.object(item, at)
		if d == nil {
			out = append(out, dimensionIn{})
			continue
		}
		out = append(out, dimensionIn{Name: r.str(d["Name"], join(at, "Name")), Value: r.str(d["Value"], join(at, "Value"))})
	}
	return out
}

// readListMetrics reads a ListMetrics request from a decoded body.
func (r *reader) readListMetrics(root map[string]any) listMetricsRequest {
	req := listMetricsRequest{
		Namespace:      r.str(root["Namespace"], "Namespace"),
		MetricName:     r.str(root["MetricName"], "MetricName"),
		Dimensions:     r.readDimensions(root["Dimensions"], "Dimensions"),
		NextToken:      r.str(root["NextToken"], "NextToken"),
		RecentlyActive: r.str(root["RecentlyActive"], "RecentlyActive"),
	}
	r.boolean(root["IncludeLinkedAccounts"], "IncludeLinkedAccounts")
	r.str(root["OwningAccount"], "OwningAccount")
	return req
}
