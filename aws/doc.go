// Package aws is lambdatune's only door to AWS Lambda and CloudWatch. It wraps the
// real aws-sdk-go-v2 clients (config, service/lambda, service/cloudwatch) and
// exposes what the console needs: list functions with their concurrency, read a
// function's detail, change memory, reserved and provisioned concurrency and wait
// until AWS reports the change done, read the account's concurrency, invoke, and
// read metrics.
//
// The same code talks to a real account and to lambdatune's sandbox: the sandbox
// speaks the AWS wire protocols on loopback and the client is pointed at it with
// a base endpoint, so tests of this package exercise the code real users run.
//
// The first contact (Probe) proves that an endpoint answers as Lambda and
// accepts the credentials, telling missing credentials, a wrong endpoint and a
// lambdatune sandbox apart (the sandbox marks its answers with SandboxHeader;
// IsSandbox reports it). ConfigInSight says what AWS configuration is visible
// without asking the network, so the caller can say why it chose an account.
// The SDK's own log lines go to Options.Logger, never to the terminal.
//
// Every value is validated here, with AWS's own wording, before any request is
// built, so a bad value never leaves the process. Read-only mode is enforced in
// one place, a middleware on every SDK client (see readonly.go).
//
// Dependency rule (one way, no cycles): tui → tune → aws, load; load → aws (for
// its Invoke target). This package imports no Charm package and never imports
// sandbox, tune, load or tui.
package aws
