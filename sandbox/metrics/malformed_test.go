package metrics_test

import (
	"strings"
	"testing"
)

func TestMalformedBodiesGet400InEachProtocolsShape(t *testing.T) {
	h := fuzzHandler()
	cborPath := "/service/GraniteServiceVersion20100801/operation/GetMetricData"
	cborHeaders := map[string]string{"Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor"}
	for _, c := range []struct {
		name, path string
		header     map[string]string
		body       string
		wantCode   string
	}{
		{"cbor truncated", cborPath, cborHeaders, "\xbf\x67EndTime", "com.amazon.coral.service#SerializationException"},
		{"cbor not a map", cborPath, cborHeaders, "\x9f\xff", "com.amazon.coral.service#SerializationException"},
		{"cbor wrong type", cborPath, cborHeaders, "\xa1\x69StartTime\x63abc", "com.amazon.coral.service#SerializationException"},
		{"cbor unknown op", "/service/GraniteServiceVersion20100801/operation/PutMetricData", cborHeaders, "", "com.amazon.coral.service#UnknownOperationException"},
		{"json broken", "/", jsonHeaders("GetMetricData"), `{"MetricDataQueries": [`, "com.amazon.coral.service#SerializationException"},
		{"json trailing", "/", jsonHeaders("GetMetricData"), `{} {}`, "com.amazon.coral.service#SerializationException"},
		{"json period text", "/", jsonHeaders("GetMetricData"), `{"MetricDataQueries":[{"Id":"a","MetricStat":{"Period":"60"}}]}`, "com.amazon.coral.service#SerializationException"},
		{"json missing start", "/", jsonHeaders("GetMetricData"), `{"MetricDataQueries":[{"Id":"a"}]}`, "com.amazonaws.cloudwatch#MissingRequiredParameterException"},
		{"json unknown op", "/", jsonHeaders("DeleteAlarms"), `{}`, "com.amazon.coral.service#UnknownOperationException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := serve(h, c.path, c.header, []byte(c.body))
			if rec.Code != 400 {
				t.Fatalf("status %d: %q", rec.Code, rec.Body.String())
			}
			if !strings.Contains(rec.Body.String(), c.wantCode) {
				t.Fatalf("body %q, want %s", rec.Body.String(), c.wantCode)
			}
		})
	}
}

func TestMalformedQueryFormsGet400XML(t *testing.T) {
	h := fuzzHandler()
	for body, code := range map[string]string{
		"Action=GetMetricData&StartTime=%zz":                                                "<Code>MalformedQueryString</Code>",
		"Version=2010-08-01":                                                                "<Code>MissingAction</Code>",
		"Action=GetMetricData&MetricDataQueries.member.x.Id=a":                              "<Code>MalformedQueryString</Code>",
		"Action=GetMetricData&StartTime=yesterday":                                          "<Code>InvalidParameterValue</Code>",
		"Action=GetMetricData&MetricDataQueries.member.1.Id=a&MetricDataQueries.member.1=b": "<Code>MalformedQueryString</Code>",
		"Action=GetMetricData&MetricDataQueries=":                                           "<Code>MissingParameter</Code>",
		"Action=ListMetrics&RecentlyActive=PT1H":                                            "<Code>ValidationError</Code>",
		"Action=PutMetricData":                                                              "<Code>InvalidAction</Code>",
	} {
		rec := serve(h, "/", queryHeaders, []byte(body))
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), code) || !strings.Contains(rec.Body.String(), "<ErrorResponse") {
			t.Errorf("%s: status %d body %s, want %s", body, rec.Code, rec.Body.String(), code)
		}
	}
}

func TestHugePeriodsAndLimitsAreRefusedNotLooped(t *testing.T) {
	h := fuzzHandler()
	for _, body := range []string{
		`{"MetricDataQueries":[{"Id":"a","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Invocations"},"Period":9223372036854775800,"Stat":"Sum"}}],"StartTime":0,"EndTime":1e11}`,
		`{"MetricDataQueries":[{"Id":"a","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Invocations"},"Period":60,"Stat":"Sum"}}],"StartTime":0,"EndTime":1e11,"MaxDatapoints":9999999999}`,
	} {
		rec := serve(h, "/", jsonHeaders("GetMetricData"), []byte(body))
		if rec.Code != 400 {
			t.Errorf("%s: status %d %s, want 400", body, rec.Code, rec.Body.String())
		}
	}
}
