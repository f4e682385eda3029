package sandbox

import (
	"slices"
	"strings"
)

// lambdaRuntimes is the Runtime enum of the Lambda API, in the order of the
// service model as aws-sdk-go-v2 service/lambda v1.114 generates it (a
// superset of botocore 1.43's): every value UpdateFunctionConfiguration
// takes. AWS quotes this list, in this form, when it refuses a name
// (docs/sandbox-model.md, "Validation").
var lambdaRuntimes = []string{
	"nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
	"nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x", "java8", "java8.al2", "java11", "java17", "java21",
	"java25", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11",
	"python3.12", "python3.13", "python3.14", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1",
	"dotnet6", "dotnet8", "dotnet10", "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "ruby3.2", "ruby3.3",
	"ruby3.4", "ruby4.0", "provided", "provided.al2", "provided.al2023", "nodejs26.x", "python3.15",
	"java8.al2023", "java11.al2023", "java17.al2023",
}

func isLambdaRuntime(name string) bool { return slices.Contains(lambdaRuntimes, name) }

// errUnknownRuntime is AWS's refusal of a runtime outside the enum: 400
// InvalidParameterValueException, "Value python3 at 'runtime' failed to
// satisfy constraint: Member must satisfy enum value set: [java8, java11, …]
// or be a valid ARN" (real AWS text quoted in awslabs/amazon-redshift-monitoring#25).
func errUnknownRuntime(name string) *apiError {
	return errInvalidParameter("Value %s at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [%s] or be a valid ARN",
		name, strings.Join(lambdaRuntimes, ", "))
}

// runtimeFamilies map a runtime name's prefix to its language family and the
// measured runtime that stands in for versions without their own numbers.
var runtimeFamilies = []struct{ prefix, model string }{
	{"python", "python3.12"}, {"nodejs", "nodejs22.x"}, {"java", "java21"},
	{"dotnet", "dotnet8"}, {"ruby", "ruby3.3"}, {"provided", "provided.al2023"}, {"go1.x", "provided.al2023"},
}

// familyModel is the stand-in model for a runtime of a known family.
func familyModel(runtime string) (string, bool) {
	for _, f := range runtimeFamilies {
		if strings.HasPrefix(runtime, f.prefix) {
			return f.model, true
		}
	}
	return "", false
}
