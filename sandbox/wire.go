package sandbox

import (
	"maps"
	"time"
)

// The JSON shapes the Lambda API returns. Field names are the API's own, so
// encoding/json's default naming is used throughout.

// lambdaTimeFormat is how Lambda writes LastModified: 2024-01-31T12:00:00.000+0000.
const lambdaTimeFormat = "2006-01-02T15:04:05.000-0700"

func lambdaTime(t time.Time) string { return t.UTC().Format(lambdaTimeFormat) }

type environmentJSON struct {
	Variables map[string]string
}

type tracingJSON struct{ Mode string }

type ephemeralJSON struct{ Size int }

type snapStartJSON struct{ ApplyOn, OptimizationStatus string }

type loggingJSON struct{ LogFormat, LogGroup string }

// functionConfigurationJSON is FunctionConfiguration. ListFunctions and
// ListVersionsByFunction return it without the state fields; GetFunction,
// GetFunctionConfiguration and the write operations include them.
type functionConfigurationJSON struct {
	FunctionName     string
	FunctionArn      string
	Runtime          string
	Role             string
	Handler          string
	CodeSize         int64
	Description      string
	Timeout          int
	MemorySize       int
	LastModified     string
	CodeSha256       string
	Version          string
	Environment      *environmentJSON `json:",omitempty"`
	TracingConfig    tracingJSON
	RevisionId       string
	PackageType      string
	Architectures    []string
	EphemeralStorage ephemeralJSON
	SnapStart        snapStartJSON
	LoggingConfig    loggingJSON
	stateJSON
}

// stateJSON holds the fields ListFunctions leaves out (D) [S55]. They are
// always populated elsewhere: the SDK's waiters retry forever on an empty
// State or LastUpdateStatus (docs/sandbox-model.md#the-control-plane).
type stateJSON struct {
	State                      string `json:",omitempty"`
	LastUpdateStatus           string `json:",omitempty"`
	LastUpdateStatusReason     string `json:",omitempty"`
	LastUpdateStatusReasonCode string `json:",omitempty"`
}

// configView is one version of a function as an API call sees it.
type configView struct {
	name    string
	arn     string // qualified as the caller named it, or unqualified
	version string // "$LATEST" or the version number
	config  functionConfig
	// updating is true for $LATEST while an update is in progress.
	updating bool
}

func (v configView) listJSON() functionConfigurationJSON {
	c := v.config
	out := functionConfigurationJSON{
		FunctionName: v.name, FunctionArn: v.arn, Runtime: c.Runtime, Role: c.Role,
		Handler: c.Handler, CodeSize: c.CodeSize, Description: c.Description,
		Timeout: c.Timeout, MemorySize: c.MemorySize, LastModified: lambdaTime(c.LastModified),
		CodeSha256: c.CodeSha256, Version: v.version, RevisionId: c.RevisionID,
		TracingConfig: tracingJSON{Mode: "PassThrough"}, PackageType: "Zip",
		Architectures:    []string{c.Architecture},
		EphemeralStorage: ephemeralJSON{Size: c.EphemeralStorage},
		SnapStart:        snapStartJSON{ApplyOn: "None", OptimizationStatus: "Off"},
		LoggingConfig:    loggingJSON{LogFormat: "Text", LogGroup: "/aws/lambda/" + v.name},
	}
	if len(c.Environment) > 0 {
		out.Environment = &environmentJSON{Variables: maps.Clone(c.Environment)}
	}
	return out
}

func (v configView) fullJSON() functionConfigurationJSON {
	out := v.listJSON()
	out.State = "Active"
	out.LastUpdateStatus = "Successful"
	if v.updating {
		out.LastUpdateStatus = "InProgress"
		out.LastUpdateStatusReason = "The function is being created."
		out.LastUpdateStatusReasonCode = "Creating"
	}
	return out
}

type codeLocationJSON struct{ RepositoryType, Location string }

type concurrencyJSON struct {
	ReservedConcurrentExecutions *int `json:",omitempty"`
}

type getFunctionJSON struct {
	Configuration functionConfigurationJSON
	Code          codeLocationJSON
	Concurrency   *concurrencyJSON  `json:",omitempty"`
	Tags          map[string]string `json:",omitempty"`
}

type listFunctionsJSON struct {
	Functions  []functionConfigurationJSON
	NextMarker *string `json:",omitempty"`
}

type listVersionsJSON struct {
	Versions   []functionConfigurationJSON
	NextMarker *string `json:",omitempty"`
}

type aliasJSON struct {
	AliasArn        string
	Name            string
	FunctionVersion string
	Description     string
	RevisionId      string
}

type listAliasesJSON struct {
	Aliases    []aliasJSON
	NextMarker *string `json:",omitempty"`
}

type provisionedJSON struct {
	FunctionArn                              string `json:",omitempty"`
	RequestedProvisionedConcurrentExecutions int
	AvailableProvisionedConcurrentExecutions int
	AllocatedProvisionedConcurrentExecutions int
	Status                                   string
	LastModified                             string
}

type listProvisionedJSON struct {
	ProvisionedConcurrencyConfigs []provisionedJSON
	NextMarker                    *string `json:",omitempty"`
}

type accountLimitJSON struct {
	TotalCodeSize                  int64
	CodeSizeUnzipped               int64
	CodeSizeZipped                 int64
	ConcurrentExecutions           int
	UnreservedConcurrentExecutions int
}

type accountUsageJSON struct {
	TotalCodeSize int64
	FunctionCount int
}

type accountSettingsJSON struct {
	AccountLimit accountLimitJSON
	AccountUsage accountUsageJSON
}
