package aws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

// Explain turns an error from this package into one line a user understands:
// what went wrong and, where there is one, what to do about it. AWS's own
// message is kept where it is the clearest statement of the rule.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	if msg, ok := explainSetup(err); ok {
		return msg
	}
	if msg, ok := explainLocal(err); ok {
		return msg
	}
	if msg, ok := explainLambda(err); ok {
		return msg
	}
	if msg, ok := explainNetwork(err); ok {
		return msg
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return explainAPI(apiErr)
	}
	return err.Error()
}

func explainLocal(err error) (string, bool) {
	var invalid *ValidationError
	switch {
	case errors.As(err, &invalid):
		return invalid.Message, true
	case errors.Is(err, ErrReadOnly):
		return ErrReadOnly.Error(), true
	case errors.Is(err, ErrChangeFailed):
		return err.Error(), true
	case errors.Is(err, context.Canceled):
		return "cancelled", true
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out waiting for AWS", true
	}
	return "", false
}

func explainLambda(err error) (string, bool) {
	var (
		notFound   *types.ResourceNotFoundException
		conflict   *types.ResourceConflictException
		invalid    *types.InvalidParameterValueException
		throttled  *types.TooManyRequestsException
		noPC       *types.ProvisionedConcurrencyConfigNotFoundException
		serviceErr *types.ServiceException
	)
	switch {
	case errors.As(err, &notFound):
		return "not found: " + notFound.ErrorMessage(), true
	case errors.As(err, &noPC):
		return "no provisioned concurrency is configured there: " + noPC.ErrorMessage(), true
	case errors.As(err, &conflict):
		return "another change to this function is still being applied; wait for it to finish and try again (" + conflict.ErrorMessage() + ")", true
	case errors.As(err, &invalid):
		return invalid.ErrorMessage(), true
	case errors.As(err, &throttled):
		return "AWS is throttling requests (" + throttled.ErrorMessage() + ") even after retries; wait a few seconds and try again", true
	case errors.As(err, &serviceErr):
		return "AWS Lambda had an internal error; try again (" + serviceErr.ErrorMessage() + ")", true
	}
	return "", false
}

// explainNetwork words a failure to connect. A name that does not resolve
// comes as a dial error without an address, so it is told first.
func explainNetwork(err error) (string, bool) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("cannot resolve %s: check the endpoint, the region and your network", dnsErr.Name), true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		where := "the endpoint"
		if opErr.Addr != nil {
			where = opErr.Addr.String()
		}
		return fmt.Sprintf("cannot reach %s: %v (is the endpoint right and running?)", where, opErr.Err), true
	}
	return "", false
}

func explainAPI(apiErr smithy.APIError) string {
	code := apiErr.ErrorCode()
	switch {
	case code == "AccessDeniedException" || code == "AccessDenied":
		return "your credentials are not allowed to do this: " + apiErr.ErrorMessage()
	case code == "UnrecognizedClientException" || code == "InvalidSignatureException",
		strings.HasPrefix(code, "ExpiredToken"):
		return "AWS does not accept your credentials (" + code + "): refresh them (e.g. aws sso login) and try again"
	case code == "ValidationException":
		return apiErr.ErrorMessage()
	}
	return code + ": " + apiErr.ErrorMessage()
}
