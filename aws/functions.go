package aws

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Function is what the console shows of one function. It deliberately has no
// field for environment variables: their values are secrets and never leave the
// SDK response they arrive in.
type Function struct {
	Name         string
	ARN          string
	Runtime      string // "python3.12", or the package type for container images
	Architecture string // "x86_64" or "arm64"
	Handler      string
	Description  string
	MemoryMB     int32
	TimeoutSec   int32
	LastModified time.Time
	// State and LastUpdateStatus come only from GetFunction; ListFunctions leaves
	// them empty.
	State            string
	LastUpdateStatus string
	// EnvironmentVariables is how many variables are set; their names and values
	// are not kept.
	EnvironmentVariables int
	// Concurrency is filled in after listing (see FillConcurrency); until then
	// Concurrency.Known is false.
	Concurrency Concurrency
}

// Concurrency is a function's reserved concurrency and its provisioned
// concurrency configurations.
type Concurrency struct {
	Known bool
	// Reserved is nil when the function draws on the account's unreserved pool.
	Reserved    *int32
	Provisioned []ProvisionedConcurrency
	// Err is set when the settings could not be read; the rest of the row stands.
	Err error
}

// ProvisionedTotal is the sum of requested provisioned concurrency over all of
// the function's aliases and versions.
func (c Concurrency) ProvisionedTotal() int32 {
	var total int32
	for _, p := range c.Provisioned {
		total += p.Requested
	}
	return total
}

// ProvisionedConcurrency is one provisioned-concurrency configuration, on an
// alias or a published version.
type ProvisionedConcurrency struct {
	Qualifier    string // alias name or version number
	Requested    int32
	Allocated    int32
	Available    int32
	Status       string // IN_PROGRESS, READY or FAILED
	StatusReason string
	LastModified time.Time
}

// FunctionPage is one page of ListFunctions. NextMarker is empty on the last page.
type FunctionPage struct {
	Functions  []Function
	NextMarker string
}

// ListFunctionsPage reads one page of the account's functions (AWS returns at
// most 50 per page). Pass the previous page's NextMarker to continue.
func (c *Client) ListFunctionsPage(ctx context.Context, marker string) (FunctionPage, error) {
	if err := c.wait(ctx); err != nil {
		return FunctionPage{}, err
	}
	in := &lambda.ListFunctionsInput{MaxItems: sdkaws.Int32(50)}
	if marker != "" {
		in.Marker = sdkaws.String(marker)
	}
	out, err := c.lambda.ListFunctions(ctx, in)
	if err != nil {
		return FunctionPage{}, fmt.Errorf("list functions: %w", err)
	}
	page := FunctionPage{NextMarker: sdkaws.ToString(out.NextMarker)}
	for _, cfg := range out.Functions {
		page.Functions = append(page.Functions, functionFrom(cfg))
	}
	return page, nil
}

// ListFunctions reads every page. The console reads page by page instead, so that
// the first page is on screen at once.
func (c *Client) ListFunctions(ctx context.Context) ([]Function, error) {
	var all []Function
	marker := ""
	for {
		page, err := c.ListFunctionsPage(ctx, marker)
		if err != nil {
			return all, err
		}
		all = append(all, page.Functions...)
		if page.NextMarker == "" || page.NextMarker == marker {
			return all, nil
		}
		marker = page.NextMarker
	}
}

// FunctionConcurrency reads one function's reserved concurrency (GetFunction,
// which AWS throttles less than the rest of the control plane) and its
// provisioned-concurrency configurations.
func (c *Client) FunctionConcurrency(ctx context.Context, name string) (Concurrency, error) {
	if err := c.waitGetFunction(ctx); err != nil {
		return Concurrency{}, err
	}
	out, err := c.lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: sdkaws.String(name)})
	if err != nil {
		return Concurrency{}, fmt.Errorf("read concurrency of %s: %w", name, err)
	}
	provisioned, err := c.ListProvisioned(ctx, name)
	if err != nil {
		return Concurrency{}, err
	}
	return Concurrency{Known: true, Reserved: reservedFrom(out.Concurrency), Provisioned: provisioned}, nil
}

// ListProvisioned reads every provisioned-concurrency configuration of a
// function, page by page with the SDK's paginator, each page paced.
func (c *Client) ListProvisioned(ctx context.Context, name string) ([]ProvisionedConcurrency, error) {
	var all []ProvisionedConcurrency
	in := &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: sdkaws.String(name), MaxItems: sdkaws.Int32(50)}
	pages := lambda.NewListProvisionedConcurrencyConfigsPaginator(c.lambda, in, func(o *lambda.ListProvisionedConcurrencyConfigsPaginatorOptions) {
		o.StopOnDuplicateToken = true
	})
	for pages.HasMorePages() {
		if err := c.wait(ctx); err != nil {
			return all, err
		}
		out, err := pages.NextPage(ctx)
		if err != nil {
			return all, fmt.Errorf("list provisioned concurrency of %s: %w", name, err)
		}
		for _, item := range out.ProvisionedConcurrencyConfigs {
			all = append(all, provisionedFromListItem(item))
		}
	}
	return all, nil
}

// ConcurrencyResult is one function's concurrency as it arrives from FillConcurrency.
type ConcurrencyResult struct {
	Name        string
	Concurrency Concurrency
}

// FillConcurrency reads the concurrency settings of the named functions with at
// most parallel requests in flight, sending each result on the returned channel
// as it arrives. The channel closes when all are done or ctx ends. A function
// whose settings cannot be read arrives with Concurrency.Err set.
func (c *Client) FillConcurrency(ctx context.Context, names []string, parallel int) <-chan ConcurrencyResult {
	if parallel < 1 {
		parallel = 1
	}
	results := make(chan ConcurrencyResult, len(names))
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for name := range jobs {
				conc, err := c.FunctionConcurrency(ctx, name)
				if err != nil {
					conc = Concurrency{Err: err}
				}
				results <- ConcurrencyResult{Name: name, Concurrency: conc}
			}
		})
	}
	go func() {
		defer close(results)
		defer wg.Wait()
		defer close(jobs)
		for _, name := range names {
			select {
			case jobs <- name:
			case <-ctx.Done():
				return
			}
		}
	}()
	return results
}

func functionFrom(cfg types.FunctionConfiguration) Function {
	f := Function{
		Name:             sdkaws.ToString(cfg.FunctionName),
		ARN:              sdkaws.ToString(cfg.FunctionArn),
		Runtime:          string(cfg.Runtime),
		Handler:          sdkaws.ToString(cfg.Handler),
		Description:      sdkaws.ToString(cfg.Description),
		MemoryMB:         sdkaws.ToInt32(cfg.MemorySize),
		TimeoutSec:       sdkaws.ToInt32(cfg.Timeout),
		LastModified:     parseLambdaTime(sdkaws.ToString(cfg.LastModified)),
		State:            string(cfg.State),
		LastUpdateStatus: string(cfg.LastUpdateStatus),
		Architecture:     string(types.ArchitectureX8664),
	}
	if f.Runtime == "" && cfg.PackageType == types.PackageTypeImage {
		f.Runtime = "image"
	}
	if len(cfg.Architectures) > 0 {
		f.Architecture = string(cfg.Architectures[0])
	}
	if cfg.Environment != nil {
		f.EnvironmentVariables = len(cfg.Environment.Variables)
	}
	return f
}

func reservedFrom(c *types.Concurrency) *int32 {
	if c == nil || c.ReservedConcurrentExecutions == nil {
		return nil
	}
	n := *c.ReservedConcurrentExecutions
	return &n
}

func provisionedFromListItem(item types.ProvisionedConcurrencyConfigListItem) ProvisionedConcurrency {
	return ProvisionedConcurrency{
		Qualifier:    qualifierOf(sdkaws.ToString(item.FunctionArn)),
		Requested:    sdkaws.ToInt32(item.RequestedProvisionedConcurrentExecutions),
		Allocated:    sdkaws.ToInt32(item.AllocatedProvisionedConcurrentExecutions),
		Available:    sdkaws.ToInt32(item.AvailableProvisionedConcurrentExecutions),
		Status:       string(item.Status),
		StatusReason: sdkaws.ToString(item.StatusReason),
		LastModified: parseLambdaTime(sdkaws.ToString(item.LastModified)),
	}
}

// qualifierOf returns the alias or version at the end of a qualified function
// ARN (arn:aws:lambda:region:account:function:name:qualifier), or "".
func qualifierOf(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) == 8 {
		return parts[7]
	}
	return ""
}

// AccountIDFromARN returns the account id in a Lambda ARN, or "".
func AccountIDFromARN(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 5 && parts[0] == "arn" {
		return parts[4]
	}
	return ""
}

// parseLambdaTime reads Lambda's timestamps, which come in two shapes:
// "2026-11-27T10:00:00.000+0000" (functions) and RFC 3339 (some newer fields).
func parseLambdaTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
