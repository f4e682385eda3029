package sandbox

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// newCloudWatchClient is the SDK's CloudWatch client on the sandbox, without
// retries.
func newCloudWatchClient(url string) *cloudwatch.Client {
	return cloudwatch.New(cloudwatch.Options{Region: DefaultRegion, BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDSANDBOX", "sandbox-secret", "")})
}

func identityOf(t *testing.T, what string, metadata middleware.Metadata) string {
	t.Helper()
	resp, ok := awsmiddleware.GetRawResponse(metadata).(*smithyhttp.Response)
	if !ok {
		t.Fatalf("%s: no raw response", what)
	}
	return resp.Header.Get(IdentityHeader)
}

func identityOfError(t *testing.T, what string, err error) string {
	t.Helper()
	var respErr *awshttp.ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("%s: error %v carries no response", what, err)
	}
	return respErr.Response.Header.Get(IdentityHeader)
}

func TestEveryAWSEndpointResponseSaysSandbox(t *testing.T) {
	fx := newFixture(t, testConfig())
	cw := newCloudWatchClient(fx.url)
	got := map[string]string{}

	list, err := fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{})
	mustNoErr(t, err, "ListFunctions")
	got["ListFunctions"] = identityOf(t, "ListFunctions", list.ResultMetadata)
	_, err = fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("no-such-function")})
	got["GetFunction error"] = identityOfError(t, "GetFunction", err)
	inv, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(fx.plainFunction())})
	mustNoErr(t, err, "Invoke")
	got["Invoke"] = identityOf(t, "Invoke", inv.ResultMetadata)
	metrics, err := cw.ListMetrics(fx.ctx, &cloudwatch.ListMetricsInput{})
	mustNoErr(t, err, "ListMetrics")
	got["ListMetrics"] = identityOf(t, "ListMetrics", metrics.ResultMetadata)
	_, err = cw.GetMetricData(fx.ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(epoch), EndTime: aws.Time(epoch),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("Bad")}}})
	got["GetMetricData error"] = identityOfError(t, "GetMetricData", err)
	resp, err := http.Get(fx.url + "/no/such/path")
	mustNoErr(t, err, "GET an unknown path")
	_ = resp.Body.Close()
	got["unknown path"] = resp.Header.Get(IdentityHeader)

	for what, value := range got {
		if value != "1" {
			t.Errorf("%s: %s = %q, want 1", what, IdentityHeader, value)
		}
	}
}

// The products API is API Gateway's stand-in: it must not say it is the
// sandbox, as API Gateway would not.
func TestProductsAPIDoesNotCarryTheSandboxHeader(t *testing.T) {
	fx := newFixture(t, testConfig())
	var resp *http.Response
	var err error
	fx.drive(func() { resp, err = http.Get(fx.apiURL + "/products") })
	mustNoErr(t, err, "GET /products")
	_ = resp.Body.Close()
	if v := resp.Header.Get(IdentityHeader); v != "" {
		t.Fatalf("products API sent %s: %q", IdentityHeader, v)
	}
}
