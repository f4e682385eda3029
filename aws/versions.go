package aws

import (
	"context"
	"errors"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// PublishVersion publishes $LATEST as a new version and waits until the
// version is Active (the SDK's FunctionActiveV2 waiter on the version), so
// provisioned concurrency can be requested on it at once. AWS refuses while an
// update of $LATEST is in progress (ResourceConflictException); callers wait
// for the update first.
func (c *Client) PublishVersion(ctx context.Context, name, description string) (Version, error) {
	if err := c.wait(ctx); err != nil {
		return Version{}, err
	}
	in := &lambda.PublishVersionInput{FunctionName: sdkaws.String(name)}
	if description != "" {
		in.Description = sdkaws.String(description)
	}
	out, err := c.lambda.PublishVersion(ctx, in)
	if err != nil {
		return Version{}, fmt.Errorf("publish a version of %s: %w", name, err)
	}
	v := Version{
		Version:      sdkaws.ToString(out.Version),
		Description:  sdkaws.ToString(out.Description),
		MemoryMB:     sdkaws.ToInt32(out.MemorySize),
		TimeoutSec:   sdkaws.ToInt32(out.Timeout),
		LastModified: sdkaws.ToString(out.LastModified),
	}
	if out.State == types.StateActive {
		return v, nil
	}
	waiter := lambda.NewFunctionActiveV2Waiter(c.lambda)
	err = waiter.Wait(ctx, &lambda.GetFunctionInput{FunctionName: sdkaws.String(name), Qualifier: out.Version}, maxUpdateWait)
	if err != nil {
		return v, fmt.Errorf("wait for version %s of %s to be active: %w", v.Version, name, err)
	}
	return v, nil
}

// PointAlias makes alias name point at version: it creates the alias when the
// function has none of that name, and moves it otherwise. Moving an alias
// moves its provisioned concurrency with it: AWS deallocates it from the old
// version and allocates it on the new one.
func (c *Client) PointAlias(ctx context.Context, function, alias, version string) (Alias, error) {
	if err := c.wait(ctx); err != nil {
		return Alias{}, err
	}
	out, err := c.lambda.UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: sdkaws.String(function), Name: sdkaws.String(alias), FunctionVersion: sdkaws.String(version),
	})
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return c.createAlias(ctx, function, alias, version)
	}
	if err != nil {
		return Alias{}, fmt.Errorf("move alias %s of %s to version %s: %w", alias, function, version, err)
	}
	return Alias{Name: sdkaws.ToString(out.Name), Version: sdkaws.ToString(out.FunctionVersion), Description: sdkaws.ToString(out.Description)}, nil
}

func (c *Client) createAlias(ctx context.Context, function, alias, version string) (Alias, error) {
	if err := c.wait(ctx); err != nil {
		return Alias{}, err
	}
	out, err := c.lambda.CreateAlias(ctx, &lambda.CreateAliasInput{
		FunctionName: sdkaws.String(function), Name: sdkaws.String(alias), FunctionVersion: sdkaws.String(version),
	})
	if err != nil {
		return Alias{}, fmt.Errorf("create alias %s of %s on version %s: %w", alias, function, version, err)
	}
	return Alias{Name: sdkaws.ToString(out.Name), Version: sdkaws.ToString(out.FunctionVersion), Description: sdkaws.ToString(out.Description)}, nil
}

// DeleteAlias removes an alias (used to undo an alias lambdatune created).
func (c *Client) DeleteAlias(ctx context.Context, function, alias string) error {
	if err := c.wait(ctx); err != nil {
		return err
	}
	_, err := c.lambda.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: sdkaws.String(function), Name: sdkaws.String(alias)})
	if err != nil {
		return fmt.Errorf("delete alias %s of %s: %w", alias, function, err)
	}
	return nil
}

// WaitUpdated waits until the function's last update is done (LastUpdateStatus
// Successful or Failed), e.g. before retrying after a ResourceConflictException.
func (c *Client) WaitUpdated(ctx context.Context, name string, progress ProgressFunc) (Function, error) {
	return c.waitUpdated(ctx, name, c.clock.Now(), progress)
}

// IsConflict reports whether err is AWS refusing a change because another
// update of the function is still in progress.
func IsConflict(err error) bool {
	var conflict *types.ResourceConflictException
	return errors.As(err, &conflict)
}

// DeleteVersion deletes one published version of a function (DeleteFunction
// with the version as Qualifier): the restore at the end of the lab takes
// back the version it published. It refuses anything but a version number
// without sending a request, so it can never delete the function itself or
// $LATEST.
func (c *Client) DeleteVersion(ctx context.Context, function, version string) error {
	if !isVersionNumber(version) {
		return &ValidationError{Field: "version", Value: version,
			Message: fmt.Sprintf("%q is not a published version number: only a published version can be deleted", version)}
	}
	if err := c.wait(ctx); err != nil {
		return err
	}
	_, err := c.lambda.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: sdkaws.String(function), Qualifier: sdkaws.String(version)})
	if err != nil {
		return fmt.Errorf("delete version %s of %s: %w", version, function, err)
	}
	return nil
}

// isVersionNumber reports whether v is a published version's number (1, 2, …).
func isVersionNumber(v string) bool {
	if v == "" || len(v) > 10 || v[0] == '0' {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
