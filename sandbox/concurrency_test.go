package sandbox

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func (fx *fixture) unreserved() int32 {
	fx.t.Helper()
	out, err := fx.client.GetAccountSettings(fx.ctx, &lambda.GetAccountSettingsInput{})
	mustNoErr(fx.t, err, "GetAccountSettings")
	return *out.AccountLimit.UnreservedConcurrentExecutions
}

func TestReservedConcurrencyLifecycle(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	before := fx.unreserved()

	got, err := fx.client.GetFunctionConcurrency(fx.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: name})
	mustNoErr(t, err, "GetFunctionConcurrency")
	if got.ReservedConcurrentExecutions != nil {
		t.Fatalf("fresh function reserves %d", *got.ReservedConcurrentExecutions)
	}
	put, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: name, ReservedConcurrentExecutions: aws.Int32(20)})
	mustNoErr(t, err, "PutFunctionConcurrency")
	if *put.ReservedConcurrentExecutions != 20 || fx.unreserved() != before-20 {
		t.Fatalf("put answered %d; unreserved %d, want %d", *put.ReservedConcurrentExecutions, fx.unreserved(), before-20)
	}
	fn, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: name})
	mustNoErr(t, err, "GetFunction")
	if fn.Concurrency == nil || *fn.Concurrency.ReservedConcurrentExecutions != 20 {
		t.Fatalf("GetFunction Concurrency = %+v", fn.Concurrency)
	}
	_, err = fx.client.DeleteFunctionConcurrency(fx.ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: name})
	mustNoErr(t, err, "DeleteFunctionConcurrency")
	got, err = fx.client.GetFunctionConcurrency(fx.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: name})
	mustNoErr(t, err, "GetFunctionConcurrency after delete")
	if got.ReservedConcurrentExecutions != nil || fx.unreserved() != before {
		t.Fatalf("after delete: reserved %v, unreserved %d want %d", got.ReservedConcurrentExecutions, fx.unreserved(), before)
	}
}

func TestReservedConcurrencyFloor(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	unreserved := fx.unreserved()
	_, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName: name, ReservedConcurrentExecutions: aws.Int32(unreserved - 99)})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
	_, err = fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName: name, ReservedConcurrentExecutions: aws.Int32(unreserved - 100)})
	mustNoErr(t, err, "reserving down to the floor exactly")
	if fx.unreserved() != 100 {
		t.Fatalf("unreserved = %d, want the floor 100", fx.unreserved())
	}
}

func TestNewAccountFloorIsTheWholeLimit(t *testing.T) {
	cfg := testConfig()
	cfg.AccountConcurrency = 10
	fx := newFixture(t, cfg)
	if fx.unreserved() != 10 {
		t.Fatalf("a 10-concurrency account starts with %d unreserved, want 10 (nothing seeded may reserve)", fx.unreserved())
	}
	_, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName: aws.String(fx.sb.ProductFunctionName()), ReservedConcurrentExecutions: aws.Int32(1)})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [10].")
}

func TestConcurrencyRejectsQualifiedNames(t *testing.T) {
	fx := newFixture(t, testConfig())
	_, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName: aws.String(fx.sb.ProductFunctionName() + ":live"), ReservedConcurrentExecutions: aws.Int32(5)})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.")
	_, err = fx.client.GetFunctionConcurrency(fx.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("ghost")})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException",
		"Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost")
}

func TestAccountSettings(t *testing.T) {
	fx := newFixture(t, testConfig())
	out, err := fx.client.GetAccountSettings(fx.ctx, &lambda.GetAccountSettingsInput{})
	mustNoErr(t, err, "GetAccountSettings")
	l, u := out.AccountLimit, out.AccountUsage
	if l.TotalCodeSize != 80530636800 || l.CodeSizeUnzipped != 262144000 || l.CodeSizeZipped != 52428800 ||
		l.ConcurrentExecutions != 1000 || u.FunctionCount != seededFunctions+1 || u.TotalCodeSize <= 0 {
		t.Fatalf("account settings = %+v %+v", l, u)
	}
	fx.sb.mu.Lock()
	want := 1000
	for _, f := range fx.sb.acct.functions {
		if f.reserved != nil {
			want -= *f.reserved
		} else {
			want -= f.provisionedTotal()
		}
	}
	fx.sb.mu.Unlock()
	if int(*l.UnreservedConcurrentExecutions) != want || want == 1000 {
		t.Fatalf("unreserved = %d, want %d (the seed reserves some)", *l.UnreservedConcurrentExecutions, want)
	}
}
