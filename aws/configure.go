package aws

import (
	"context"
	"errors"
	"fmt"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// How long a change may take before lambdatune stops waiting. AWS applies a
// memory change in seconds; provisioned concurrency takes "a minute or two" and
// up to a minute per 6,000 environments.
const (
	maxUpdateWait      = 5 * time.Minute
	maxProvisionedWait = 15 * time.Minute
)

// ErrChangeFailed is returned when AWS accepted a change and then reported it failed.
var ErrChangeFailed = errors.New("AWS reports the change failed")

// Progress is one report while a change is being applied.
type Progress struct {
	Function  string
	Qualifier string
	// Status is AWS's word for where the change is: InProgress, Successful,
	// Failed for configuration updates; IN_PROGRESS, READY, FAILED for
	// provisioned concurrency.
	Status    string
	Allocated int32 // provisioned environments allocated so far
	Requested int32
	Elapsed   time.Duration
}

// ProgressFunc receives progress reports; it may be nil.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(p Progress) {
	if f != nil {
		f(p)
	}
}

// SetMemory validates mb, asks AWS to change the function's memory, and waits
// (the SDK's FunctionUpdatedV2 waiter) until LastUpdateStatus is Successful. It
// returns the function as AWS then reports it.
func (c *Client) SetMemory(ctx context.Context, name string, mb int64, progress ProgressFunc) (Function, error) {
	if err := ValidateMemory(mb); err != nil {
		return Function{}, err
	}
	if err := c.wait(ctx); err != nil {
		return Function{}, err
	}
	started := c.clock.Now()
	_, err := c.lambda.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(name),
		MemorySize:   sdkaws.Int32(int32(mb)),
	})
	if err != nil {
		return Function{}, fmt.Errorf("update memory of %s: %w", name, err)
	}
	return c.waitUpdated(ctx, name, started, progress)
}

func (c *Client) waitUpdated(ctx context.Context, name string, started time.Time, progress ProgressFunc) (Function, error) {
	var last *lambda.GetFunctionOutput
	waiter := lambda.NewFunctionUpdatedV2Waiter(c.lambda, func(o *lambda.FunctionUpdatedV2WaiterOptions) {
		if c.opts.PollInterval > 0 {
			// Tests and the fast sandbox poll as often as they ask, not the
			// SDK's default of at least a second.
			o.MinDelay, o.MaxDelay = c.opts.PollInterval, max(c.opts.PollInterval, 5*time.Second)
		}
		base := o.Retryable
		o.Retryable = func(ctx context.Context, in *lambda.GetFunctionInput, out *lambda.GetFunctionOutput, err error) (bool, error) {
			if err == nil && out != nil && out.Configuration != nil {
				last = out
				progress.report(Progress{Function: name, Status: string(out.Configuration.LastUpdateStatus), Elapsed: c.clock.Now().Sub(started)})
			}
			return base(ctx, in, out, err)
		}
	})
	out, err := waiter.WaitForOutput(ctx, &lambda.GetFunctionInput{FunctionName: sdkaws.String(name)}, maxUpdateWait)
	if err != nil {
		if last != nil && last.Configuration.LastUpdateStatus == types.LastUpdateStatusFailed {
			return functionFrom(*last.Configuration), fmt.Errorf("update %s: %w: %s", name, ErrChangeFailed,
				sdkaws.ToString(last.Configuration.LastUpdateStatusReason))
		}
		return Function{}, fmt.Errorf("wait for update of %s: %w", name, err)
	}
	return functionFrom(*out.Configuration), nil
}

// SetReserved validates n against the account's unreserved floor and sets the
// function's reserved concurrency (0 throttles every invocation).
func (c *Client) SetReserved(ctx context.Context, name string, n int64) error {
	if n < MinReserved {
		return ValidateReserved(n, 0, 0, Account{})
	}
	acct, err := c.AccountSettings(ctx)
	if err != nil {
		return err
	}
	conc, err := c.FunctionConcurrency(ctx, name)
	if err != nil {
		return err
	}
	if err := ValidateReserved(n, claimed(conc), conc.ProvisionedTotal(), acct); err != nil {
		return err
	}
	if err := c.wait(ctx); err != nil {
		return err
	}
	_, err = c.lambda.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName:                 sdkaws.String(name),
		ReservedConcurrentExecutions: sdkaws.Int32(int32(n)),
	})
	if err != nil {
		return fmt.Errorf("set reserved concurrency of %s: %w", name, err)
	}
	return nil
}

// RemoveReserved returns the function to the account's unreserved pool.
func (c *Client) RemoveReserved(ctx context.Context, name string) error {
	if err := c.wait(ctx); err != nil {
		return err
	}
	_, err := c.lambda.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: sdkaws.String(name)})
	if err != nil {
		return fmt.Errorf("remove reserved concurrency of %s: %w", name, err)
	}
	return nil
}

// claimed is how much of the account a function holds now: its reserved
// concurrency, or else the provisioned concurrency it has outside a reservation.
func claimed(conc Concurrency) int32 {
	if conc.Reserved != nil {
		return *conc.Reserved
	}
	return conc.ProvisionedTotal()
}
