package sandbox

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// updateConfig sends UpdateFunctionConfiguration and, when it succeeds,
// lets the update finish so the next one is not a conflict.
func (fx *fixture) updateConfig(in lambda.UpdateFunctionConfigurationInput) error {
	fx.t.Helper()
	_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &in)
	if err == nil {
		fx.clock.Advance(time.Minute)
	}
	return err
}

func TestDescriptionLimitOnFunctionsVersionsAndAliases(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	long := strings.Repeat("d", 257)
	want := "1 validation error detected: Value '" + long + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"

	expectGenericError(t, fx.updateConfig(lambda.UpdateFunctionConfigurationInput{FunctionName: name, Description: aws.String(long)}),
		"ValidationException", want)
	mustNoErr(t, fx.updateConfig(lambda.UpdateFunctionConfigurationInput{FunctionName: name, Description: aws.String(long[:256])}), "256 characters")

	_, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name, Description: aws.String(long)})
	expectGenericError(t, err, "ValidationException", want)
	_, err = fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name})
	mustNoErr(t, err, "PublishVersion")

	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("live"),
		FunctionVersion: aws.String("1"), Description: aws.String(long)})
	expectGenericError(t, err, "ValidationException", want)
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("live"), FunctionVersion: aws.String("1")})
	mustNoErr(t, err, "CreateAlias")
	_, err = fx.client.UpdateAlias(fx.ctx, &lambda.UpdateAliasInput{FunctionName: name, Name: aws.String("live"), Description: aws.String(long)})
	expectGenericError(t, err, "ValidationException", want)
}

func TestHandlerPatternAndLength(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	long := strings.Repeat("h", 129)
	cases := map[string]string{
		"my handler": "1 validation error detected: Value 'my handler' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+",
		"":           "1 validation error detected: Value '' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+",
		long:         "1 validation error detected: Value '" + long + "' at 'handler' failed to satisfy constraint: Member must have length less than or equal to 128",
	}
	for handler, want := range cases {
		expectGenericError(t, fx.updateConfig(lambda.UpdateFunctionConfigurationInput{FunctionName: name, Handler: aws.String(handler)}),
			"ValidationException", want)
	}
	mustNoErr(t, fx.updateConfig(lambda.UpdateFunctionConfigurationInput{FunctionName: name, Handler: aws.String(long[:128])}), "128 characters")
}

func TestEnvironmentKeysReservedNamesAndSize(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	env := func(vars map[string]string) lambda.UpdateFunctionConfigurationInput {
		return lambda.UpdateFunctionConfigurationInput{FunctionName: name, Environment: &types.Environment{Variables: vars}}
	}
	badKey := "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: " +
		"Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"
	for _, key := range []string{"1ST", "A", "MY-VAR", "_HANDLER"} {
		expectGenericError(t, fx.updateConfig(env(map[string]string{key: "secret-value"})), "ValidationException", badKey)
	}
	err := fx.updateConfig(env(map[string]string{"AWS_REGION": "x", "AWS_ACCESS_KEY_ID": "y", "TABLE": "z"}))
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_ACCESS_KEY_ID, AWS_REGION")

	// {"BIG":"…"} is 10 bytes of JSON around the value: 4086 fit, 4087 do not.
	err = fx.updateConfig(env(map[string]string{"BIG": strings.Repeat("v", 4087)}))
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.")
	mustNoErr(t, fx.updateConfig(env(map[string]string{"BIG": strings.Repeat("v", 4086)})), "4 KB of environment")
	mustNoErr(t, fx.updateConfig(env(map[string]string{"TZ": "Europe/Paris", "LANG": "fr_FR.UTF-8"})), "unreserved runtime variables")
}

func TestEveryRuntimeOfTheModelIsAccepted(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	for _, rt := range types.Runtime("").Values() {
		mustNoErr(t, fx.updateConfig(lambda.UpdateFunctionConfigurationInput{FunctionName: name, Runtime: rt}), string(rt))
		if got := fx.appliedConfig(*name).Runtime; got != string(rt) {
			t.Fatalf("runtime after the update = %s, want %s", got, rt)
		}
	}
	err := fx.updateConfig(lambda.UpdateFunctionConfigurationInput{FunctionName: name, Runtime: "python3"})
	var quoted []string
	for _, rt := range types.Runtime("").Values() {
		quoted = append(quoted, string(rt))
	}
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Value python3 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["+strings.Join(quoted, ", ")+"] or be a valid ARN")
}

func TestNewRuntimesRunWithTheirFamily(t *testing.T) {
	for runtime, family := range map[string]string{
		"nodejs24.x": "node", "java25": "java", "dotnet10": "dotnet", "ruby3.4": "ruby", "python3.14": "python", "go1.x": "provided",
	} {
		if got := runtimeModelFor(runtime).family; got != family {
			t.Errorf("%s runs as %s, want %s", runtime, got, family)
		}
	}
}
