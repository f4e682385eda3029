// Package metrics is the sandbox's CloudWatch: a store of the AWS/Lambda
// metrics the execution model records, and an HTTP handler serving them
// through CloudWatch's GetMetricData, GetMetricStatistics and ListMetrics in the three wire
// protocols clients send — Smithy RPC v2 CBOR (aws-sdk-go-v2), AWS JSON 1.0
// (botocore, aws-cli 1.x) and AWS Query (aws-cli 2.9).
//
// Recording: the execution model writes through a LambdaRecorder, which knows
// Lambda's metric names and dimension sets; Store.Record and Store.Observe
// are the generic forms. Counters and distributions (Record) keep every
// sample; gauges (Observe) keep the highest level per second and carry a
// level above zero forward until it changes. Samples are keyed by the second
// of the time given — for Lambda, the invocation's start.
//
// Storage: per series, 1-second aggregates (sample count, sum, minimum,
// maximum and a sparse log histogram with 1% relative accuracy for
// percentiles) for 3 hours, rolled into 60-second aggregates kept 15 days,
// like CloudWatch's high-resolution and 1-minute data. Queries take periods of
// 1, 5, 10, 20, 30, 60 seconds or any multiple of 60. A publication delay
// (Options.PublishDelay, 0 by default so the 1-second view is live) hides
// recent data as AWS's 1–2 minute delay does. See docs/metrics.md.
//
// Dependency rule: this package is part of sandbox; only the sandbox's router
// (and cmd/lambdatune through it) uses it. It imports no Charm package and
// none of tui, tune, aws or load. Time comes from internal/clock.
package metrics
