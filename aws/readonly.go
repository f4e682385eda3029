package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// ErrReadOnly is returned, without any request being sent, for every write
// attempted while read-only mode is on.
var ErrReadOnly = errors.New("read-only mode: changes are disabled (restart without --read-only to make changes)")

// readOperationPrefixes name the operations that only read. Everything else —
// updates, puts, deletes, publishes and Invoke, which runs the function's code
// and may write on its own — is a write.
var readOperationPrefixes = []string{"Get", "List", "Describe"}

// IsReadOperation reports whether an AWS operation name only reads.
func IsReadOperation(operation string) bool {
	for _, p := range readOperationPrefixes {
		if strings.HasPrefix(operation, p) {
			return true
		}
	}
	return false
}

// guardWrites returns the one chokepoint of read-only mode: a middleware in the
// Initialize step of every SDK operation's stack (after the operation's name is
// registered there, before serialization, signing or any network I/O) that
// fails writes with ErrReadOnly.
func guardWrites(readOnly bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		if !readOnly {
			return nil
		}
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("lambdatuneReadOnly",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := awsmiddleware.GetOperationName(ctx)
				if !IsReadOperation(op) {
					return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("%s: %w", op, ErrReadOnly)
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
}
