package metrics

import (
	"encoding/xml"
	"strconv"
	"time"
)

// AWS Query (XML) encoders. Timestamps are ISO 8601 in UTC.

const xmlNamespace = "http://monitoring.amazonaws.com/doc/2010-08-01/"

type xmlResult struct {
	ID         string    `xml:"Id"`
	Label      string    `xml:"Label"`
	Timestamps []string  `xml:"Timestamps>member"`
	Values     []string  `xml:"Values>member"`
	StatusCode string    `xml:"StatusCode"`
	Messages   *struct{} `xml:"Messages"`
}

type xmlMetric struct {
	Namespace  string         `xml:"Namespace"`
	MetricName string         `xml:"MetricName"`
	Dimensions []xmlDimension `xml:"Dimensions>member"`
}

type xmlDimension struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

type xmlMetadata struct {
	RequestID string `xml:"RequestId"`
}

func xmlGetMetricData(resp getMetricDataResponse, requestID string) []byte {
	type result struct {
		Results   []xmlResult `xml:"MetricDataResults>member"`
		NextToken string      `xml:"NextToken,omitempty"`
		Messages  *struct{}   `xml:"Messages"`
	}
	body := struct {
		XMLName  xml.Name    `xml:"GetMetricDataResponse"`
		Xmlns    string      `xml:"xmlns,attr"`
		Result   result      `xml:"GetMetricDataResult"`
		Metadata xmlMetadata `xml:"ResponseMetadata"`
	}{Xmlns: xmlNamespace, Metadata: xmlMetadata{requestID}}
	for _, r := range resp.Results {
		body.Result.Results = append(body.Result.Results, xmlResultOf(r))
	}
	body.Result.NextToken = resp.NextToken
	body.Result.Messages = &struct{}{}
	return mustXML(body)
}

func xmlResultOf(r metricDataResult) xmlResult {
	out := xmlResult{ID: r.ID, Label: r.Label, StatusCode: r.StatusCode, Messages: &struct{}{}}
	for _, t := range r.Timestamps {
		out.Timestamps = append(out.Timestamps, t.UTC().Format(time.RFC3339Nano))
	}
	for _, v := range finite(r.Values) {
		out.Values = append(out.Values, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return out
}

func xmlListMetrics(resp listMetricsResponse, requestID string) []byte {
	type result struct {
		Metrics   []xmlMetric `xml:"Metrics>member"`
		NextToken string      `xml:"NextToken,omitempty"`
	}
	body := struct {
		XMLName  xml.Name    `xml:"ListMetricsResponse"`
		Xmlns    string      `xml:"xmlns,attr"`
		Result   result      `xml:"ListMetricsResult"`
		Metadata xmlMetadata `xml:"ResponseMetadata"`
	}{Xmlns: xmlNamespace, Metadata: xmlMetadata{requestID}}
	for _, m := range resp.Metrics {
		xm := xmlMetric{Namespace: m.Namespace, MetricName: m.MetricName}
		for _, d := range m.Dimensions {
			xm.Dimensions = append(xm.Dimensions, xmlDimension(d))
		}
		body.Result.Metrics = append(body.Result.Metrics, xm)
	}
	body.Result.NextToken = resp.NextToken
	return mustXML(body)
}

func xmlError(e *apiError, requestID string) []byte {
	type detail struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	return mustXML(struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Error     detail   `xml:"Error"`
		RequestID string   `xml:"RequestId"`
	}{Xmlns: xmlNamespace, Error: detail{e.fault(), e.QueryCode, e.Message}, RequestID: requestID})
}

func mustXML(v any) []byte {
	b, err := xml.Marshal(v)
	if err != nil {
		panic("metrics: encoding a response: " + err.Error()) // fixed struct shapes of strings only
	}
	return append([]byte(xml.Header), b...)
}
