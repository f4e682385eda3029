package metrics_test

import (
	"bytes"
	"testing"
)

// Bodies that cannot be read are described in words a user can act on, not
// the decoder's, and the size limit names the operation.
func TestUnreadableBodiesInPlainWords(t *testing.T) {
	srv := newRawServer(t)
	headers := map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "GraniteServiceVersion20100801.GetMetricData"}
	for body, want := range map[string]string{
		`{"StartTime": x}`:           "Cannot read the request body as JSON: unexpected character 'x' at line 1, column 15.",
		"{\n  \"StartTime\": 1,\n,}": "Cannot read the request body as JSON: unexpected character ',' at line 3, column 1.",
		`{"StartTime": 1`:            "Cannot read the request body as JSON: the body ends before the JSON document does.",
	} {
		resp, raw := post(t, srv.URL+"/", headers, []byte(body))
		assertJSONError(t, resp, raw, "com.amazon.coral.service#SerializationException", "SerializationException;Sender", want)
	}
	big := append([]byte(`{"Namespace":"`), bytes.Repeat([]byte("x"), 4<<20)...)
	resp, raw := post(t, srv.URL+"/", map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "GraniteServiceVersion20100801.ListMetrics"}, big)
	assertJSONError(t, resp, raw, "com.amazon.coral.service#SerializationException", "SerializationException;Sender",
		"Request must be smaller than 4194304 bytes for the ListMetrics operation.")
	resp, raw = post(t, srv.URL+"/service/GraniteServiceVersion20100801/operation/GetMetricData",
		map[string]string{"Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor"}, big)
	assertCBORError(t, resp, raw, "com.amazon.coral.service#SerializationException", "Request must be smaller than 4194304 bytes for the GetMetricData operation.")
}
