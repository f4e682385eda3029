package tune

import (
	"context"
	"fmt"

	"github.com/lambdatune/lambdatune/aws"
)

// Scope is the journal scope of what the session is connected to. When the
// account is not known yet it is read from the function's ARN (lambdatune
// never asks for an identity it may not be allowed to read).
func (s *Session) Scope(ctx context.Context, function string) (Scope, error) {
	scope := ScopeOf(s.where)
	if scope.Sandbox || scope.Account != "" {
		return scope, nil
	}
	d, err := s.client.FunctionDetail(ctx, function)
	if err != nil {
		return scope, fmt.Errorf("learn the account from %s: %w", function, err)
	}
	scope.Account = aws.AccountIDFromARN(d.ARN)
	return scope, scope.Validate()
}
