package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// putRaw sends body to the configuration of name and returns the status, the
// error type and message.
func (fx *fixture) putRaw(path, body string) (int, string, string) {
	fx.t.Helper()
	req, _ := http.NewRequest(http.MethodPut, fx.url+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	mustNoErr(fx.t, err, "PUT "+path)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var e struct{ Message string }
	_ = json.Unmarshal(data, &e)
	return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), e.Message
}

// A body that does not decode is refused in Lambda's words, naming the
// member and the operation, never in Go's.
func TestUnparsableBodiesInAWSWords(t *testing.T) {
	fx := newFixture(t, testConfig())
	path := "/2015-03-31/functions/" + fx.plainFunction() + "/configuration"
	for body, want := range map[string]string{
		`{"MemorySize":"abc"}`: "Could not parse request body into json: Cannot deserialize value of type `java.lang.Integer` from String value (token `JsonToken.VALUE_STRING`)\n" +
			" at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 20] (through reference chain: UpdateFunctionConfigurationRequest[\"MemorySize\"])",
		`{"Environment":{"Variables":{"A1":5}}}`: "Could not parse request body into json: Cannot deserialize value of type `java.lang.String` from Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)\n" +
			" at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 36] (through reference chain: UpdateFunctionConfigurationRequest[\"Environment\"][\"Variables\"])",
		`{"MemorySize":`: "Could not parse request body into json: Unexpected end-of-input: expected close marker for Object\n" +
			" at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 15]",
	} {
		status, code, message := fx.putRaw(path, body)
		if status != http.StatusBadRequest || code != "InvalidRequestContentException" || message != want {
			t.Errorf("%s: %d %s %q\nwant 400 InvalidRequestContentException %q", body, status, code, message, want)
		}
		if strings.Contains(message, "Go struct") || strings.Contains(message, "cannot unmarshal") {
			t.Errorf("%s: Go's words in %q", body, message)
		}
	}
}

func TestOversizedRequestNamesTheOperation(t *testing.T) {
	fx := newFixture(t, testConfig())
	_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(fx.plainFunction()), Description: aws.String(strings.Repeat("d", maxRequestBody))})
	expectGenericError(t, err, "RequestEntityTooLargeException", "Request must be smaller than 1048576 bytes for the UpdateFunctionConfiguration operation")
}
