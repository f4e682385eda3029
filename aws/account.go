package aws

import (
	"context"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// UnreservedFloor is the concurrency AWS always keeps for functions without
// reserved concurrency: 100, or the whole limit on accounts below 100.
func UnreservedFloor(accountLimit int32) int32 {
	return min(100, accountLimit)
}

// Account is the account's concurrency in this region.
type Account struct {
	ConcurrencyLimit int32 // ConcurrentExecutions
	Unreserved       int32 // UnreservedConcurrentExecutions
	FunctionCount    int64
}

// Floor is the unreserved concurrency AWS will not let reservations go below.
func (a Account) Floor() int32 { return UnreservedFloor(a.ConcurrencyLimit) }

// Reservable is how much more concurrency can be reserved or provisioned
// (outside reserved) before the unreserved floor is reached.
func (a Account) Reservable() int32 { return max(0, a.Unreserved-a.Floor()) }

// AccountSettings reads the account's concurrency limit and what is unreserved.
func (c *Client) AccountSettings(ctx context.Context) (Account, error) {
	if err := c.wait(ctx); err != nil {
		return Account{}, err
	}
	out, err := c.lambda.GetAccountSettings(ctx, &lambda.GetAccountSettingsInput{})
	if err != nil {
		return Account{}, fmt.Errorf("read account settings: %w", err)
	}
	var acct Account
	if out.AccountLimit != nil {
		acct.ConcurrencyLimit = out.AccountLimit.ConcurrentExecutions
		acct.Unreserved = sdkaws.ToInt32(out.AccountLimit.UnreservedConcurrentExecutions)
	}
	if out.AccountUsage != nil {
		acct.FunctionCount = out.AccountUsage.FunctionCount
	}
	return acct, nil
}
