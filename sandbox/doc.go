// Package sandbox is lambdatune's embedded stand-in for AWS: an HTTP server on
// loopback that speaks the Lambda API (REST-JSON, 2015-03-31 paths) and behaves
// like Lambda, so the console, the AWS CLI and the tests all use real clients
// against it; and, on a second listener, the lab's products API (the API
// Gateway stand-in) in front of a real products function.
//
// Dependency rule: nothing in lambdatune imports sandbox except cmd/lambdatune,
// which starts it in-process (or standalone, `lambdatune sandbox`) and hands its
// URL to the aws client. Everything else reaches it over the wire only, exactly as
// it would reach AWS. sandbox imports no Charm package and none of tui, tune, aws
// or load. Time comes from an injected clock (internal/clock).
//
// Where things are:
//   - sandbox.go: Sandbox (New, Handler) and Server (Start, Close);
//     config.go: Config, its defaults and Fast;
//   - state.go: the state model (functions, $LATEST revisions, published
//     versions, aliases, reserved and provisioned concurrency, the account's
//     unreserved pool), with lazily computed transitions;
//   - routes.go: the Lambda API's mux and its request plumbing (read the body,
//     take the quota, run the operation under Sandbox.mu, write JSON);
//     throttle.go: the control-plane quotas behind it;
//   - aws_endpoint.go: the AWS endpoint's dispatch before the Lambda mux —
//     AWS Query requests by Version= to CloudFormation or CloudWatch,
//     CloudWatch's other protocols to sandbox/metrics, the rest to the mux;
//   - cloudwatch.go: CloudWatch on the same endpoint, and the observer that
//     records the model's metrics;
//   - cfn_stacks.go, cfn_query.go: the account's CloudFormation stacks and
//     DescribeStacks in AWS Query's XML;
//   - op_*.go: one file per group of Lambda operations; wire.go: the JSON
//     shapes they answer; names.go: FunctionName, qualifiers and ARNs;
//     paging.go: Marker and MaxItems;
//   - errors.go: AWS's error wire form and messages; op_names.go: the
//     operations' names and the words for bodies that do not decode;
//   - validate_config.go, runtimes.go: the configuration checks AWS makes and
//     the Runtime enum;
//   - identify.go: the header that tells the sandbox from AWS;
//   - seed*.go: the seeded account;
//   - model*.go: the execution model's parameters, each with its source;
//   - exec_*.go: the execution model's core — environments and their pools
//     (exec_env.go), admission, concurrency and throttles (exec_limits.go),
//     begin and end of an invocation (exec_invoke.go), what a qualifier
//     resolves to (exec_target.go), the log and REPORT line (exec_logs.go).
//     It is pure and takes the time as an argument; only the HTTP handlers
//     wait, on the injected clock;
//   - op_invoke.go, invoke_*.go: Invoke on the wire (RequestResponse, Event,
//     DryRun), its input checks and the asynchronous retries;
//   - handler*.go, products_*.go: the functions' code — the lab's products
//     API over an in-memory table, and plausible code for the others;
//     code_entry.go: what a package holds, and the init errors of a handler
//     or runtime that does not find it;
//   - front*.go, proxy_event.go: the products API front (API Gateway REST
//     API, Lambda proxy integration; front_trace.go its X-Amzn-Trace-Id);
//   - observer.go: the hook through which metrics hear of invocations,
//     throttles and concurrency;
//   - response_limit.go, front_limits.go: Lambda's and API Gateway's size
//     limits;
//   - guard.go, limits.go, connlimit.go, budget.go, body.go: what protects
//     the sandbox from its clients — the Host and Origin checks, timeouts,
//     the connection cap and the memory budget of requests in flight;
//     fdlimit_*.go: the open-file limit the connection cap fits under;
//   - lag.go: scheduling lag, how late the sandbox's own timers fire;
//   - metrics/: the CloudWatch store and its three wire protocols.
//
// docs/sandbox-model.md explains the model for users, and
// docs/dev/architecture.md how to add an operation or a metric. Comments
// cite their sources as [Sn], source n in docs/sources.md, with the kind of
// evidence: (D) AWS documentation, (B) an AWS blog or pricing page, (M) a
// third-party measurement, (C) code or data in a public repository, (I) our
// own inference or calibration.
package sandbox
