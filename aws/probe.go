package aws

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// SandboxHeader is the response header, set to "1", by which a lambdatune
// sandbox's AWS endpoint says what it is. AWS never sends it.
const SandboxHeader = "X-Lambdatune-Sandbox"

// Errors of the first contact with an account (Probe).
var (
	// ErrNoCredentials: the SDK's credential chain found nothing, down to
	// the EC2 instance role.
	ErrNoCredentials = errors.New("no AWS credentials found")
	// ErrCredentials: credentials are configured but could not be had (an
	// expired SSO session, a failing credential_process, ...).
	ErrCredentials = errors.New("cannot get AWS credentials")
	// ErrNotLambdaEndpoint: the endpoint answered, but not as AWS Lambda does.
	ErrNotLambdaEndpoint = errors.New("not an AWS Lambda endpoint")
)

// Probe makes the first contact: it gets the credentials (unless they are
// the sandbox's static ones) and makes one cheap read, GetAccountSettings,
// which proves that the endpoint answers as Lambda and accepts them.
// Credentials that may not read account settings (AccessDenied) pass: the
// console shows what they may read. Afterwards IsSandbox tells whether the
// endpoint is a lambdatune sandbox.
func (c *Client) Probe(ctx context.Context) error {
	if !c.opts.StaticCredentials && c.cfg.Credentials != nil {
		if _, err := c.cfg.Credentials.Retrieve(ctx); err != nil {
			return credentialsError(err)
		}
	}
	_, err := c.AccountSettings(ctx)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && strings.HasPrefix(apiErr.ErrorCode(), "AccessDenied") {
		return nil
	}
	return c.notLambda(err)
}

// probeError is a failed first contact: one of the sentinels above, what it
// means here in words, and the SDK's error that showed it.
type probeError struct {
	kind  error
	words string // e.g. "http://127.0.0.1:4567/Prod answered 404 Not Found"
	cause error
}

func (e *probeError) Error() string {
	if e.words == "" {
		return e.kind.Error() + ": " + e.cause.Error()
	}
	return e.kind.Error() + ": " + e.words + ": " + e.cause.Error()
}

func (e *probeError) Unwrap() []error { return []error{e.kind, e.cause} }

// IsSandbox reports whether any answer so far came from a lambdatune sandbox.
func (c *Client) IsSandbox() bool { return c.sandbox.Load() }

// credentialsError tells "nothing configured" from "configured but failing":
// the chain tries the EC2 instance role last, so an error from the metadata
// service means every other source was empty.
func credentialsError(err error) error {
	var opErr *smithy.OperationError
	if (errors.As(err, &opErr) && opErr.ServiceID == "ec2imds") || strings.Contains(err.Error(), "EC2 IMDS") {
		return &probeError{kind: ErrNoCredentials, cause: err}
	}
	return &probeError{kind: ErrCredentials, cause: err}
}

// notLambda names an endpoint whose answer is not Lambda's: a 404 (a web
// server, a wrong path), API Gateway's Missing Authentication Token (the
// sandbox's products API given as --endpoint-url), or a body the SDK cannot
// read. Other errors pass unchanged.
func (c *Client) notLambda(err error) error {
	if err == nil {
		return nil
	}
	where := c.endpoint
	if where == "" {
		where = "the endpoint"
	}
	var respErr *awshttp.ResponseError
	var apiErr smithy.APIError
	var decodeErr *smithy.DeserializationError
	switch {
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == "MissingAuthenticationTokenException":
		return &probeError{ErrNotLambdaEndpoint, where + " answered like API Gateway (Missing Authentication Token)", err}
	case errors.As(err, &respErr) && respErr.HTTPStatusCode() == http.StatusNotFound:
		return &probeError{ErrNotLambdaEndpoint, where + " answered 404 Not Found", err}
	case errors.As(err, &decodeErr):
		return &probeError{ErrNotLambdaEndpoint, where + " answered something other than Lambda's JSON", err}
	}
	return err
}

// noticeSandbox is a response middleware on every SDK client: it remembers
// that an answer carried SandboxHeader.
func noticeSandbox(seen *atomic.Bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("lambdatuneNoticeSandbox",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Header.Get(SandboxHeader) == "1" {
					seen.Store(true)
				}
				return out, md, err
			}), middleware.After)
	}
}
