package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// InvokeInput is one synchronous invocation.
type InvokeInput struct {
	FunctionName string
	// Qualifier is a version or alias ("live"); empty invokes $LATEST.
	Qualifier string
	Payload   []byte
}

// InvokeOutput is what Invoke returned, with the REPORT line of the log tail
// already parsed.
type InvokeOutput struct {
	StatusCode      int
	Payload         []byte
	ExecutedVersion string
	// FunctionError is "Unhandled" or "Handled" when the function itself
	// failed (the HTTP status is still 200 then).
	FunctionError string
	// LogTail is the decoded last 4 KB of the invocation's log.
	LogTail string
	// Report is the parsed REPORT line; HasReport is false when the tail had none.
	Report    Report
	HasReport bool
}

// Invoke runs the function once, synchronously, with LogType=Tail so that the
// answer carries the REPORT line (Duration, Billed Duration, Init Duration on
// cold starts, Max Memory Used).
//
// It does not retry: the SDK's standard retryer would retry
// TooManyRequestsException, and a load test must count throttles, not hide
// them. A throttle comes back as *types.TooManyRequestsException (see
// IsThrottle and ThrottleReason). Invoke is data plane: it does not take the
// control-plane limiter, but read-only mode blocks it, since running a
// function may write.
func (c *Client) Invoke(ctx context.Context, in InvokeInput) (InvokeOutput, error) {
	params := &lambda.InvokeInput{
		FunctionName:   sdkaws.String(in.FunctionName),
		InvocationType: types.InvocationTypeRequestResponse,
		LogType:        types.LogTypeTail,
		Payload:        in.Payload,
	}
	if in.Qualifier != "" {
		params.Qualifier = sdkaws.String(in.Qualifier)
	}
	out, err := c.lambda.Invoke(ctx, params, func(o *lambda.Options) {
		o.Retryer = sdkaws.NopRetryer{}
	})
	if err != nil {
		return InvokeOutput{}, fmt.Errorf("invoke %s: %w", in.FunctionName, err)
	}
	return decodeInvokeOutput(out)
}

func decodeInvokeOutput(out *lambda.InvokeOutput) (InvokeOutput, error) {
	res := InvokeOutput{
		StatusCode:      int(out.StatusCode),
		Payload:         out.Payload,
		ExecutedVersion: sdkaws.ToString(out.ExecutedVersion),
		FunctionError:   sdkaws.ToString(out.FunctionError),
	}
	if out.LogResult == nil {
		return res, nil
	}
	tail, err := base64.StdEncoding.DecodeString(*out.LogResult)
	if err != nil {
		return res, fmt.Errorf("decode log tail: %w", err)
	}
	res.LogTail = string(tail)
	res.Report, res.HasReport = ParseReport(res.LogTail)
	return res, nil
}

// IsThrottle reports whether err is Lambda's TooManyRequestsException.
func IsThrottle(err error) bool {
	var throttle *types.TooManyRequestsException
	return errors.As(err, &throttle)
}

// ThrottleReason is the Reason of a TooManyRequestsException in err
// ("ReservedFunctionConcurrentInvocationLimitExceeded", ...), or "".
func ThrottleReason(err error) string {
	var throttle *types.TooManyRequestsException
	if errors.As(err, &throttle) {
		return string(throttle.Reason)
	}
	return ""
}
