package metrics

import (
	"encoding/xml"
	"sort"
	"strconv"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// GetMetricStatistics' answer in the three protocols. A datapoint carries
// only the statistics asked for, its Unit, and ExtendedStatistics as a map
// from statistic to value.

func encodeGetMetricStatistics(proto protocol, resp getMetricStatisticsResponse, requestID string) []byte {
	switch proto {
	case protoCBOR:
		return cborGetMetricStatistics(resp)
	case protoJSON:
		return jsonGetMetricStatistics(resp)
	}
	return xmlGetMetricStatistics(resp, requestID)
}

func jsonGetMetricStatistics(resp getMetricStatisticsResponse) []byte {
	points := make([]map[string]any, 0, len(resp.Datapoints))
	for _, dp := range resp.Datapoints {
		m := map[string]any{"Timestamp": float64(dp.at.UnixNano()) / 1e9, "Unit": dp.unit}
		for name, v := range dp.simple {
			m[name] = finite([]float64{v})[0]
		}
		if dp.extended != nil {
			ext := map[string]float64{}
			for name, v := range dp.extended {
				ext[name] = finite([]float64{v})[0]
			}
			m["ExtendedStatistics"] = ext
		}
		points = append(points, m)
	}
	return mustJSON(map[string]any{"Label": resp.Label, "Datapoints": points})
}

func cborGetMetricStatistics(resp getMetricStatisticsResponse) []byte {
	points := cbor.List{}
	for _, dp := range resp.Datapoints {
		m := cbor.Map{"Timestamp": cborTime(dp.at), "Unit": cbor.String(dp.unit)}
		for name, v := range dp.simple {
			m[name] = cbor.Float64(v)
		}
		if dp.extended != nil {
			ext := cbor.Map{}
			for name, v := range dp.extended {
				ext[name] = cbor.Float64(v)
			}
			m["ExtendedStatistics"] = ext
		}
		points = append(points, m)
	}
	return cbor.Encode(cbor.Map{"Label": cbor.String(resp.Label), "Datapoints": points})
}

type xmlDatapoint struct {
	Timestamp          string     `xml:"Timestamp"`
	SampleCount        *string    `xml:"SampleCount,omitempty"`
	Average            *string    `xml:"Average,omitempty"`
	Sum                *string    `xml:"Sum,omitempty"`
	Minimum            *string    `xml:"Minimum,omitempty"`
	Maximum            *string    `xml:"Maximum,omitempty"`
	Unit               string     `xml:"Unit"`
	ExtendedStatistics []xmlEntry `xml:"ExtendedStatistics>entry,omitempty"`
}

type xmlEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func xmlGetMetricStatistics(resp getMetricStatisticsResponse, requestID string) []byte {
	type result struct {
		Label      string         `xml:"Label"`
		Datapoints []xmlDatapoint `xml:"Datapoints>member"`
	}
	body := struct {
		XMLName  xml.Name    `xml:"GetMetricStatisticsResponse"`
		Xmlns    string      `xml:"xmlns,attr"`
		Result   result      `xml:"GetMetricStatisticsResult"`
		Metadata xmlMetadata `xml:"ResponseMetadata"`
	}{Xmlns: xmlNamespace, Result: result{Label: resp.Label}, Metadata: xmlMetadata{requestID}}
	for _, dp := range resp.Datapoints {
		body.Result.Datapoints = append(body.Result.Datapoints, xmlDatapointOf(dp))
	}
	return mustXML(body)
}

func xmlDatapointOf(dp statisticsDatapoint) xmlDatapoint {
	out := xmlDatapoint{Timestamp: dp.at.UTC().Format(time.RFC3339Nano), Unit: dp.unit}
	fields := map[string]**string{"SampleCount": &out.SampleCount, "Average": &out.Average, "Sum": &out.Sum,
		"Minimum": &out.Minimum, "Maximum": &out.Maximum}
	for name, v := range dp.simple {
		text := xmlNumber(v)
		*fields[name] = &text
	}
	if dp.extended != nil {
		entries := make([]xmlEntry, 0, len(dp.extended))
		for name, v := range dp.extended {
			entries = append(entries, xmlEntry{name, xmlNumber(v)})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Key < entries[j].Key })
		out.ExtendedStatistics = entries
	}
	return out
}

func xmlNumber(v float64) string { return strconv.FormatFloat(finite([]float64{v})[0], 'g', -1, 64) }
