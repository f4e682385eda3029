// Package sandbox is lambdatune's embedded stand-in for AWS: an HTTP server on
// loopback that speaks the Lambda API (REST-JSON, 2015-03-31 paths) and behaves
// like Lambda, so the console, the AWS CLI and the tests all use real clients
// against it.
//
// Dependency rule: nothing in lambdatune imports sandbox except cmd/lambdatune,
// which starts it in-process (or standalone, `lambdatune sandbox`) and hands its
// URL to the aws client. Everything else reaches it over the wire only, exactly as
// it would reach AWS. sandbox imports no Charm package and none of tui, tune, aws
// or load. Time comes from an injected clock (internal/clock).
//
// Where things are:
//   - state.go: the state model (functions, $LATEST revisions, published
//     versions, aliases, reserved and provisioned concurrency, the account's
//     unreserved pool), with lazily computed transitions;
//   - routes.go: the mux, the request plumbing and the control-plane throttle;
//     other services are added to the same mux;
//   - op_*.go: one file per group of Lambda operations;
//   - errors.go: AWS's error wire form and messages;
//   - seed*.go: the seeded account.
package sandbox
