package aws

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Version is one published version of a function.
type Version struct {
	Version      string
	Description  string
	MemoryMB     int32
	TimeoutSec   int32
	LastModified string
}

// Alias is a named pointer to a version.
type Alias struct {
	Name        string
	Version     string
	Description string
}

// FunctionDetail is everything the Function screen shows of one function.
type FunctionDetail struct {
	Function
	Versions []Version // published versions, oldest first ($LATEST excluded)
	Aliases  []Alias
}

// ProvisionedFor returns the provisioned configuration on qualifier, if any.
func (d FunctionDetail) ProvisionedFor(qualifier string) (ProvisionedConcurrency, bool) {
	for _, p := range d.Concurrency.Provisioned {
		if p.Qualifier == qualifier {
			return p, true
		}
	}
	return ProvisionedConcurrency{}, false
}

// FunctionDetail reads a function's configuration, concurrency, versions and aliases.
func (c *Client) FunctionDetail(ctx context.Context, name string) (FunctionDetail, error) {
	if err := c.waitGetFunction(ctx); err != nil {
		return FunctionDetail{}, err
	}
	out, err := c.lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: sdkaws.String(name)})
	if err != nil {
		return FunctionDetail{}, fmt.Errorf("read function %s: %w", name, err)
	}
	detail := FunctionDetail{Function: functionFrom(*out.Configuration)}
	detail.Concurrency.Reserved = reservedFrom(out.Concurrency)
	if detail.Concurrency.Provisioned, err = c.ListProvisioned(ctx, name); err != nil {
		return detail, err
	}
	detail.Concurrency.Known = true
	if detail.Versions, err = c.listVersions(ctx, name); err != nil {
		return detail, err
	}
	detail.Aliases, err = c.listAliases(ctx, name)
	return detail, err
}

// listVersions reads every published version, page by page with the SDK's
// paginator, each page paced.
func (c *Client) listVersions(ctx context.Context, name string) ([]Version, error) {
	var versions []Version
	in := &lambda.ListVersionsByFunctionInput{FunctionName: sdkaws.String(name), MaxItems: sdkaws.Int32(50)}
	pages := lambda.NewListVersionsByFunctionPaginator(c.lambda, in, func(o *lambda.ListVersionsByFunctionPaginatorOptions) {
		o.StopOnDuplicateToken = true
	})
	for pages.HasMorePages() {
		if err := c.wait(ctx); err != nil {
			return versions, err
		}
		out, err := pages.NextPage(ctx)
		if err != nil {
			return versions, fmt.Errorf("list versions of %s: %w", name, err)
		}
		for _, cfg := range out.Versions {
			if v := sdkaws.ToString(cfg.Version); v != "$LATEST" {
				versions = append(versions, versionFrom(cfg))
			}
		}
	}
	sort.SliceStable(versions, func(i, j int) bool { return versionLess(versions[i].Version, versions[j].Version) })
	return versions, nil
}

func versionFrom(cfg types.FunctionConfiguration) Version {
	return Version{
		Version:      sdkaws.ToString(cfg.Version),
		Description:  sdkaws.ToString(cfg.Description),
		MemoryMB:     sdkaws.ToInt32(cfg.MemorySize),
		TimeoutSec:   sdkaws.ToInt32(cfg.Timeout),
		LastModified: sdkaws.ToString(cfg.LastModified),
	}
}

// listAliases reads every alias, page by page with the SDK's paginator, each
// page paced.
func (c *Client) listAliases(ctx context.Context, name string) ([]Alias, error) {
	var aliases []Alias
	in := &lambda.ListAliasesInput{FunctionName: sdkaws.String(name), MaxItems: sdkaws.Int32(50)}
	pages := lambda.NewListAliasesPaginator(c.lambda, in, func(o *lambda.ListAliasesPaginatorOptions) {
		o.StopOnDuplicateToken = true
	})
	for pages.HasMorePages() {
		if err := c.wait(ctx); err != nil {
			return aliases, err
		}
		out, err := pages.NextPage(ctx)
		if err != nil {
			return aliases, fmt.Errorf("list aliases of %s: %w", name, err)
		}
		for _, a := range out.Aliases {
			aliases = append(aliases, Alias{
				Name:        sdkaws.ToString(a.Name),
				Version:     sdkaws.ToString(a.FunctionVersion),
				Description: sdkaws.ToString(a.Description),
			})
		}
	}
	return aliases, nil
}

// versionLess orders numeric versions numerically ("2" before "10").
func versionLess(a, b string) bool {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return na < nb
	}
	return a < b
}
