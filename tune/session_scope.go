package tune

import (
	"context"
	"fmt"

	"github.com/lambdatune/lambdatune/aws"
)

// Scope is the journal scope of what the session is connected to: every
// lambdatune sandbox (embedded, standalone, at --endpoint-url) shares the
// sandbox scope, as the client recognises it by its answers. When an
// account's id is not known yet it is read from the function's ARN
// (lambdatune never asks for an identity it may not be allowed to read).
func (s *Session) Scope(ctx context.Context, function string) (Scope, error) {
	scope := ScopeOf(s.where)
	if scope.Sandbox || s.client.IsSandbox() {
		return SandboxScope, nil
	}
	if scope.Account != "" {
		return scope, nil
	}
	d, err := s.client.FunctionDetail(ctx, function)
	if err != nil {
		return scope, fmt.Errorf("learn the account from %s: %w", function, err)
	}
	if s.client.IsSandbox() { // known only now, from this first answer
		return SandboxScope, nil
	}
	scope.Account = aws.AccountIDFromARN(d.ARN)
	return scope, scope.Validate()
}
