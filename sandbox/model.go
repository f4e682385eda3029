package sandbox

import (
	"math"
	"time"
)

// The execution model's parameters, each with its source tag: [Sn] is source
// n in docs/sources.md; (D) AWS documentation, (B) an AWS blog or pricing
// page, (M) a third-party measurement, (C) code or data in a public
// repository, (I) an inference or a calibration of ours — a tunable default,
// not a fact. docs/sandbox-model.md#parameters explains each one for users,
// and where the sandbox chose differently.

// CPU share (docs/sandbox-model.md#cpu-share).
const (
	// vcpuMemoryMB is the memory at which a function has one full vCPU. (D) [S1]
	vcpuMemoryMB = 1769
	// maxVCPUs is the CPU share at 10,240 MB. (B) [S3]
	maxVCPUs = 6
)

// Environment lifecycle (docs/sandbox-model.md#environments).
const (
	// idleExpiry is how long an idle on-demand environment is kept: every
	// request after ≥ 645 s idle was cold, every one after ≤ 636 s warm. (M) [S18], (C) [S20], [S85]
	idleExpiry = 600 * time.Second
)

// Concurrency and scaling (docs/sandbox-model.md#concurrency-scaling-and-throttles).
const (
	// scalingBurst and scalingPerSecond are the scaling rate: 1,000 new
	// execution environments every 10 s per function, refilled continuously,
	// not banked. (D) [S23], (B) [S26]
	scalingBurst     = 1000
	scalingPerSecond = 100
	// requestsPerConcurrency caps requests per second at 10 × concurrency, for
	// the account, reserved concurrency and provisioned concurrency. (D) [S22]
	requestsPerConcurrency = 10
)

// Payload limits of Invoke. (D) [S2]; the Event limit was raised from 256 KB
// to 1 MB (docs/sandbox-model.md#invoke-on-the-wire).
const (
	maxSyncPayload  = 6 * 1024 * 1024 // 6291456 bytes, request and response
	maxAsyncPayload = 1024 * 1024     // 1048576 bytes for InvocationType Event
)

// API Gateway (docs/sandbox-model.md#downstream-and-api-gateway-latencies).
const (
	// integrationTimeout is the REST API's default integration timeout. (B) [S78]
	integrationTimeout = 29 * time.Second
	// maxFrontPayload is API Gateway's request payload quota. (D) [S81]
	maxFrontPayload = 10 * 1024 * 1024
)

// logNormal is a lognormally distributed duration: median × e^(σ·Z).
type logNormal struct {
	median time.Duration
	sigma  float64
}

// at scales the median by e^(σ·z) for a standard normal draw z.
func (l logNormal) at(z float64) time.Duration {
	return time.Duration(float64(l.median) * math.Exp(l.sigma*z))
}

// Modelled latencies outside the function
// (docs/sandbox-model.md#downstream-and-api-gateway-latencies).
var (
	// platformOverhead is the cold-path work outside Init Duration: not in
	// REPORT, not billed, but the caller waits for it. (I) [S38]
	platformOverhead = logNormal{80 * time.Millisecond, 0.3}
	// invokeOverhead is Lambda's invoke front end on every request. (I)
	invokeOverhead = logNormal{3 * time.Millisecond, 0.3}
	// restAPIOverhead is what the REST API adds (HTTP APIs claim p99 < 10 ms
	// and 60 % less; REST ≈ 12 ms median, p99 ≈ 25 ms). (B) [S77], (I)
	restAPIOverhead = logNormal{12 * time.Millisecond, 0.3}
)

// handlerCPUSigma spreads each invocation's CPU work: CPU_op · LN(0, 0.2). (I)
// (docs/sandbox-model.md#how-the-products-api-was-calibrated)
const handlerCPUSigma = 0.2

// inRegionNetwork is the round trip from a function to DynamoDB, on top of
// the service time. (I)
const inRegionNetwork = time.Millisecond

// cpuSpeed is the function's CPU share at memory MB, in vCPUs: m/1769. A
// single-threaded runtime (Python's GIL, Node's event loop, Ruby) cannot use
// more than one vCPU, so its handler runs at min(m/1769, 1); a
// multi-threaded one at min(m/1769, 6). (D) [S1], [S3]; (I) for the cap.
func cpuSpeed(memoryMB int, multiThreaded bool) float64 {
	share := float64(memoryMB) / vcpuMemoryMB
	if multiThreaded {
		return min(share, maxVCPUs)
	}
	return min(share, 1)
}

// onCPU is how long work of cpu vCPU-time takes at speed vCPUs.
func onCPU(cpu time.Duration, speed float64) time.Duration {
	return time.Duration(float64(cpu) / speed)
}
