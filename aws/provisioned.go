package aws

import (
	"context"
	"fmt"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const defaultPollInterval = 2 * time.Second

// SetProvisioned validates n and the qualifier, requests provisioned
// concurrency n on the alias or version, and waits until AWS reports it READY
// (polling GetProvisionedConcurrencyConfig on the client's clock).
func (c *Client) SetProvisioned(ctx context.Context, name, qualifier string, n int64, progress ProgressFunc) (ProvisionedConcurrency, error) {
	if err := ValidateQualifier(qualifier); err != nil {
		return ProvisionedConcurrency{}, err
	}
	if n < MinProvisioned {
		return ProvisionedConcurrency{}, ValidateProvisioned(n, ProvisionedTarget{Qualifier: qualifier})
	}
	target, err := c.provisionedTarget(ctx, name, qualifier)
	if err != nil {
		return ProvisionedConcurrency{}, err
	}
	if err := ValidateProvisioned(n, target); err != nil {
		return ProvisionedConcurrency{}, err
	}
	if err := c.wait(ctx); err != nil {
		return ProvisionedConcurrency{}, err
	}
	started := c.clock.Now()
	_, err = c.lambda.PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName:                    sdkaws.String(name),
		Qualifier:                       sdkaws.String(qualifier),
		ProvisionedConcurrentExecutions: sdkaws.Int32(int32(n)),
	})
	if err != nil {
		return ProvisionedConcurrency{}, fmt.Errorf("set provisioned concurrency of %s:%s: %w", name, qualifier, err)
	}
	return c.waitProvisioned(ctx, name, qualifier, started, progress)
}

// provisionedTarget gathers what validation needs: the account, the function's
// reservation and the provisioned concurrency on its other qualifiers.
func (c *Client) provisionedTarget(ctx context.Context, name, qualifier string) (ProvisionedTarget, error) {
	acct, err := c.AccountSettings(ctx)
	if err != nil {
		return ProvisionedTarget{}, err
	}
	conc, err := c.FunctionConcurrency(ctx, name)
	if err != nil {
		return ProvisionedTarget{}, err
	}
	target := ProvisionedTarget{Qualifier: qualifier, Reserved: conc.Reserved, Account: acct}
	for _, p := range conc.Provisioned {
		if p.Qualifier == qualifier {
			target.Current = p.Requested
		} else {
			target.OtherProvisioned += p.Requested
		}
	}
	return target, nil
}

func (c *Client) waitProvisioned(ctx context.Context, name, qualifier string, started time.Time, progress ProgressFunc) (ProvisionedConcurrency, error) {
	interval := c.opts.PollInterval
	if interval <= 0 {
		interval = defaultPollInterval
	}
	for {
		pc, err := c.GetProvisioned(ctx, name, qualifier)
		if err != nil {
			return pc, err
		}
		elapsed := c.clock.Now().Sub(started)
		progress.report(Progress{Function: name, Qualifier: qualifier, Status: pc.Status,
			Allocated: pc.Allocated, Requested: pc.Requested, Elapsed: elapsed})
		switch types.ProvisionedConcurrencyStatusEnum(pc.Status) {
		case types.ProvisionedConcurrencyStatusEnumReady:
			return pc, nil
		case types.ProvisionedConcurrencyStatusEnumFailed:
			return pc, fmt.Errorf("provisioned concurrency on %s:%s: %w: %s", name, qualifier, ErrChangeFailed, pc.StatusReason)
		}
		if elapsed >= maxProvisionedWait {
			return pc, fmt.Errorf("provisioned concurrency on %s:%s still %s after %s", name, qualifier, pc.Status, elapsed.Round(time.Second))
		}
		if err := c.clock.Sleep(ctx, interval); err != nil {
			return pc, err
		}
	}
}

// GetProvisioned reads the provisioned-concurrency configuration on a qualifier.
func (c *Client) GetProvisioned(ctx context.Context, name, qualifier string) (ProvisionedConcurrency, error) {
	if err := c.wait(ctx); err != nil {
		return ProvisionedConcurrency{}, err
	}
	out, err := c.lambda.GetProvisionedConcurrencyConfig(ctx, &lambda.GetProvisionedConcurrencyConfigInput{
		FunctionName: sdkaws.String(name),
		Qualifier:    sdkaws.String(qualifier),
	})
	if err != nil {
		return ProvisionedConcurrency{}, fmt.Errorf("read provisioned concurrency of %s:%s: %w", name, qualifier, err)
	}
	return ProvisionedConcurrency{
		Qualifier:    qualifier,
		Requested:    sdkaws.ToInt32(out.RequestedProvisionedConcurrentExecutions),
		Allocated:    sdkaws.ToInt32(out.AllocatedProvisionedConcurrentExecutions),
		Available:    sdkaws.ToInt32(out.AvailableProvisionedConcurrentExecutions),
		Status:       string(out.Status),
		StatusReason: sdkaws.ToString(out.StatusReason),
		LastModified: parseLambdaTime(sdkaws.ToString(out.LastModified)),
	}, nil
}

// RemoveProvisioned deletes the provisioned-concurrency configuration on a qualifier.
func (c *Client) RemoveProvisioned(ctx context.Context, name, qualifier string) error {
	if err := ValidateQualifier(qualifier); err != nil {
		return err
	}
	if err := c.wait(ctx); err != nil {
		return err
	}
	_, err := c.lambda.DeleteProvisionedConcurrencyConfig(ctx, &lambda.DeleteProvisionedConcurrencyConfigInput{
		FunctionName: sdkaws.String(name),
		Qualifier:    sdkaws.String(qualifier),
	})
	if err != nil {
		return fmt.Errorf("remove provisioned concurrency of %s:%s: %w", name, qualifier, err)
	}
	return nil
}
