package aws

import (
	"context"
	"fmt"
	"maps"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// SetEnvironmentVariable sets one environment variable of the function,
// keeping the others, and waits until the update is Successful. An update
// of the configuration makes Lambda create new execution environments
// (docs/sweep.md, [S33]): a sweep's cold-start mode sets a nonce this way
// before each measured invoke. Values are never logged or returned: the
// other variables are read and sent back as they are.
func (c *Client) SetEnvironmentVariable(ctx context.Context, name, key, value string, progress ProgressFunc) error {
	return c.editEnvironment(ctx, name, progress, func(vars map[string]string) bool {
		if old, ok := vars[key]; ok && old == value {
			return false
		}
		vars[key] = value
		return true
	})
}

// RemoveEnvironmentVariable removes one environment variable, keeping the
// others, and waits until the update is Successful; a variable that is not
// set is left alone and nothing is sent.
func (c *Client) RemoveEnvironmentVariable(ctx context.Context, name, key string, progress ProgressFunc) error {
	return c.editEnvironment(ctx, name, progress, func(vars map[string]string) bool {
		if _, ok := vars[key]; !ok {
			return false
		}
		delete(vars, key)
		return true
	})
}

// HasEnvironmentVariable reports whether the function has the variable set
// (its value is not read out).
func (c *Client) HasEnvironmentVariable(ctx context.Context, name, key string) (bool, error) {
	vars, err := c.environment(ctx, name)
	if err != nil {
		return false, err
	}
	_, ok := vars[key]
	return ok, nil
}

func (c *Client) environment(ctx context.Context, name string) (map[string]string, error) {
	if err := c.wait(ctx); err != nil {
		return nil, err
	}
	out, err := c.lambda.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: sdkaws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("read the configuration of %s: %w", name, err)
	}
	vars := map[string]string{}
	if out.Environment != nil {
		maps.Copy(vars, out.Environment.Variables)
	}
	return vars, nil
}

func (c *Client) editEnvironment(ctx context.Context, name string, progress ProgressFunc, edit func(map[string]string) bool) error {
	vars, err := c.environment(ctx, name)
	if err != nil {
		return err
	}
	if !edit(vars) {
		return nil
	}
	if err := c.wait(ctx); err != nil {
		return err
	}
	started := c.clock.Now()
	_, err = c.lambda.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(name),
		Environment:  &types.Environment{Variables: vars},
	})
	if err != nil {
		// The error names the function and the operation, never a value.
		return fmt.Errorf("update the environment of %s: %w", name, err)
	}
	_, err = c.waitUpdated(ctx, name, started, progress)
	return err
}
