package metrics

// This file resolves the recorder's events to series handles, once per
// (function, qualifier, version) or gauge, so the per-invocation path is a map
// lookup under a read lock and no allocation.

func (r *LambdaRecorder) invokeSeries(k invokeKey) *invokeSeries {
	r.mu.RLock()
	set := r.invokes[k]
	r.mu.RUnlock()
	if set != nil {
		return set
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if set = r.invokes[k]; set == nil {
		set = r.newInvokeSeries(k)
		r.invokes[k] = set
	}
	return set
}

func (r *LambdaRecorder) newInvokeSeries(k invokeKey) *invokeSeries {
	withAccount := invocationDimensionSets(k, true)
	perFunction := invocationDimensionSets(k, false)
	return &invokeSeries{
		invocations: r.handles(MetricInvocations, UnitCount, withAccount),
		errors:      r.handles(MetricErrors, UnitCount, withAccount),
		throttles:   r.handles(MetricThrottles, UnitCount, withAccount),
		duration:    r.handles(MetricDuration, UnitMilliseconds, withAccount),
		provisioned: r.handles(MetricProvisionedConcurrencyInvocations, UnitCount, perFunction),
		spillover:   r.handles(MetricProvisionedConcurrencySpilloverInvs, UnitCount, perFunction),
	}
}

// invocationDimensionSets lists the dimension sets an invocation counts in.
func invocationDimensionSets(k invokeKey, withAccount bool) [][]Dimension {
	sets := [][]Dimension{{{DimensionFunctionName, k.function}}}
	if k.qualifier != "" {
		resource := Dimension{DimensionResource, k.function + ":" + k.qualifier}
		sets = append(sets, []Dimension{{DimensionFunctionName, k.function}, resource})
		if isAlias(k.qualifier) && k.executedVersion != "" {
			sets = append(sets, []Dimension{{DimensionFunctionName, k.function}, resource,
				{DimensionExecutedVersion, k.executedVersion}})
		}
	}
	if withAccount {
		sets = append(sets, nil)
	}
	return sets
}

// isAlias tells an alias from a version: versions are numbers or $LATEST, and
// Lambda forbids all-digit alias names.
func isAlias(qualifier string) bool {
	if qualifier == "$LATEST" {
		return false
	}
	for _, c := range qualifier {
		if c < '0' || c > '9' {
			return true
		}
	}
	return false
}

func (r *LambdaRecorder) handles(metric string, unit Unit, sets [][]Dimension) []*Series {
	out := make([]*Series, len(sets))
	for i, dims := range sets {
		out[i] = r.store.Series(MetricID{Namespace: Namespace, MetricName: metric, Dimensions: dims}, unit)
	}
	return out
}

func (r *LambdaRecorder) gauge(k gaugeKey) *Gauge {
	r.mu.RLock()
	g := r.gauges[k]
	r.mu.RUnlock()
	if g != nil {
		return g
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if g = r.gauges[k]; g == nil {
		g = r.store.Gauge(MetricID{Namespace: Namespace, MetricName: k.metric, Dimensions: gaugeDimensions(k)}, gaugeUnit(k.metric))
		r.gauges[k] = g
	}
	return g
}

func gaugeDimensions(k gaugeKey) []Dimension {
	switch {
	case k.function == "":
		return nil
	case k.qualifier == "":
		return []Dimension{{DimensionFunctionName, k.function}}
	default:
		return []Dimension{{DimensionFunctionName, k.function}, {DimensionResource, k.function + ":" + k.qualifier}}
	}
}

func gaugeUnit(metric string) Unit {
	if metric == MetricProvisionedConcurrencyUtilization {
		return UnitNone
	}
	return UnitCount
}
