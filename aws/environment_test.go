package aws_test

import (
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
)

// Setting and removing one variable keeps the function's others as they were.
func TestEnvironmentVariableKeepsTheOthers(t *testing.T) {
	e := newEnv(t, fastSandbox(), aws.Options{})
	fn := e.product()
	before := variables(t, e, fn)
	if err := e.client.SetEnvironmentVariable(e.ctx, fn, "LAMBDATUNE_TEST", "1", nil); err != nil {
		t.Fatal(err)
	}
	if has, err := e.client.HasEnvironmentVariable(e.ctx, fn, "LAMBDATUNE_TEST"); err != nil || !has {
		t.Fatalf("set: %v %v", has, err)
	}
	writes := e.rec.writes()
	if err := e.client.SetEnvironmentVariable(e.ctx, fn, "LAMBDATUNE_TEST", "1", nil); err != nil || e.rec.writes() != writes {
		t.Fatalf("setting the same value again sent an update (%v)", err)
	}
	if err := e.client.RemoveEnvironmentVariable(e.ctx, fn, "LAMBDATUNE_TEST", nil); err != nil {
		t.Fatal(err)
	}
	after := variables(t, e, fn)
	if len(after) != len(before) || len(before) == 0 {
		t.Fatalf("variables before %d, after %d", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("variable %s changed", k) // never print values
		}
	}
}

func TestEnvironmentVariableReadOnlyRefuses(t *testing.T) {
	e := newEnv(t, fastSandbox(), aws.Options{ReadOnly: true})
	err := e.client.SetEnvironmentVariable(e.ctx, e.product(), "LAMBDATUNE_TEST", "1", nil)
	expectError[error](t, err, "read-only")
}

func variables(t *testing.T, e env, fn string) map[string]string {
	t.Helper()
	out, err := e.client.Lambda().GetFunctionConfiguration(e.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: sdkaws.String(fn)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Environment.Variables
}
