package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// invokeError invokes name with an empty event and returns its function
// error's type and message, and whether the REPORT line has an Init
// Duration.
func (fx *fixture) invokeError(name string) (errorType, message string, cold bool) {
	fx.t.Helper()
	out, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{}`), LogType: types.LogTypeTail})
	mustNoErr(fx.t, err, "Invoke "+name)
	if aws.ToString(out.FunctionError) == "" {
		return "", "", false
	}
	var body struct{ ErrorType, ErrorMessage string }
	mustNoErr(fx.t, json.Unmarshal(out.Payload, &body), "decode the function error")
	log, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	return body.ErrorType, body.ErrorMessage, strings.Contains(string(log), "Init Duration")
}

func (fx *fixture) functionWithRuntime(runtime string) string {
	fx.t.Helper()
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	for _, name := range fx.sb.acct.sortedNames() {
		if f := fx.sb.acct.functions[name]; f.applied.Runtime == runtime && len(f.versions) == 0 {
			return name
		}
	}
	fx.t.Fatalf("no seeded %s function", runtime)
	return ""
}

// A handler the code does not have breaks the products API as it breaks it
// on AWS: every invocation fails at init, and API Gateway answers 502.
func TestBrokenHandlerBreaksTheProductsAPI(t *testing.T) {
	fx := newFixture(t, testConfig())
	product := fx.sb.ProductFunctionName()
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(product), Handler: aws.String("nothing.here")})

	r := fx.call("GET", "/products", "")
	r.expect(t, http.StatusBadGateway, `{"message": "Internal server error"}`)
	if r.header.Get("X-Amzn-Errortype") != gatewayServerError {
		t.Fatalf("502 without x-amzn-ErrorType: %v", r.header)
	}
	for i := range 2 { // the environment never finishes init: every call initialises again
		errType, message, cold := fx.invokeError(product)
		if errType != "Runtime.ImportModuleError" || message != "Unable to import module 'nothing': No module named 'nothing'" || !cold {
			t.Fatalf("invoke %d: %s %q (cold %t)", i, errType, message, cold)
		}
	}
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(product), Handler: aws.String("app.missing")})
	if errType, message, _ := fx.invokeError(product); errType != "Runtime.HandlerNotFound" || message != "Handler 'missing' missing on module 'app'" {
		t.Fatalf("missing function: %s %q", errType, message)
	}
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(product), Handler: aws.String("app.lambda_handler")})
	fx.call("GET", "/products", "").expect(t, http.StatusOK, "")
}

func TestBrokenHandlerErrorsByRuntime(t *testing.T) {
	fx := newFixture(t, testConfig())
	node := fx.functionWithRuntime("nodejs22.x")
	custom := fx.functionWithRuntime("provided.al2023")
	for _, tc := range []struct {
		name             string
		in               lambda.UpdateFunctionConfigurationInput
		errType, message string
	}{
		{node, lambda.UpdateFunctionConfigurationInput{Handler: aws.String("nothing.here")},
			"Runtime.ImportModuleError", "Error: Cannot find module 'nothing'\nRequire stack:\n- /var/runtime/index.mjs"},
		{node, lambda.UpdateFunctionConfigurationInput{Handler: aws.String("index.other")},
			"Runtime.HandlerNotFound", "index.other is undefined or not exported"},
		{node, lambda.UpdateFunctionConfigurationInput{Handler: aws.String("index.handler"), Runtime: types.RuntimePython312},
			"Runtime.ImportModuleError", "Unable to import module 'index': No module named 'index'"},
		// A custom runtime's bootstrap reads the handler itself.
		{custom, lambda.UpdateFunctionConfigurationInput{Handler: aws.String("anything")}, "", ""},
	} {
		tc.in.FunctionName = aws.String(tc.name)
		fx.configure(&tc.in)
		if errType, message, _ := fx.invokeError(tc.name); errType != tc.errType || message != tc.message {
			t.Errorf("%s with %s/%s: %s %q, want %s %q", tc.name, tc.in.Runtime, aws.ToString(tc.in.Handler), errType, message, tc.errType, tc.message)
		}
	}
}
