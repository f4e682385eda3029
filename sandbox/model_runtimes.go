package sandbox

import (
	"strings"
	"time"
)

// runtimeModel is what a managed runtime costs to start and run.
type runtimeModel struct {
	family string
	// init is the Init Duration of a small function on demand: x86_64, zip,
	// run at a full vCPU, so it does not depend on memory [S9], [S10], [S11].
	init logNormal
	// firstInvokeCPU is the extra vCPU time of an environment's first invoke
	// (lazy loading, JIT): first-invoke Duration at 128 MB × 128/1769.
	firstInvokeCPU time.Duration
	// multiThreaded runtimes can use more than one vCPU above 1,769 MB.
	multiThreaded bool
	// memoryMB is Max Memory Used by a small function. (I)
	memoryMB int
}

// runtimeModels are from maxday/lambda-perf [S9] (C/M): hello-world functions
// deployed fresh daily and invoked cold; the median and spread of Init
// Duration over 90 daily files (2026-04-25 to 2026-08-22) where they were computed,
// else the latest file's mean; σ from p90/p50. First-invoke work from the
// first-invoke Duration at 128 MB. Older or missing versions of a runtime take
// the nearest measured one (I).
var runtimeModels = map[string]runtimeModel{
	// python3.14: the latest file's mean at 128 MB; python3.13's spread. (C/M) [S9]
	"python3.14": {"python", logNormal{101600 * time.Microsecond, 0.19}, 150 * time.Microsecond, false, 40},
	"python3.13": {"python", logNormal{95500 * time.Microsecond, 0.19}, 150 * time.Microsecond, false, 40},
	"python3.12": {"python", logNormal{87600 * time.Microsecond, 0.15}, 130 * time.Microsecond, false, 40},
	"nodejs22.x": {"node", logNormal{145800 * time.Microsecond, 0.14}, 760 * time.Microsecond, false, 65},
	"nodejs20.x": {"node", logNormal{138500 * time.Microsecond, 0.14}, 1100 * time.Microsecond, false, 65},
	"java21":     {"java", logNormal{244200 * time.Microsecond, 0.11}, 6500 * time.Microsecond, true, 110},
	"java17":     {"java", logNormal{200300 * time.Microsecond, 0.11}, 280 * time.Microsecond, true, 105},
	"dotnet8":    {"dotnet", logNormal{257200 * time.Microsecond, 0.17}, 51700 * time.Microsecond, true, 85},
	// provided.al2023 is measured with Go and Rust; Go's numbers.
	"provided.al2023": {"provided", logNormal{50700 * time.Microsecond, 0.08}, 170 * time.Microsecond, true, 20},
	// Ruby is not in the data set. (I): between Python and Node.
	"ruby3.3": {"ruby", logNormal{120 * time.Millisecond, 0.15}, 500 * time.Microsecond, false, 45},
}

// runtimeAliases map runtimes without their own measurement to one with.
var runtimeAliases = map[string]string{
	"python3.11": "python3.12", "python3.10": "python3.12", "python3.9": "python3.12",
	"nodejs18.x": "nodejs20.x", "java11": "java17", "java8.al2": "java17",
	"ruby3.2": "ruby3.3", "provided.al2": "provided.al2023",
}

// armInitFactor: arm64 initialises about 15 % faster (python3.12 72.8 vs
// 85.2 ms; Go 42.1 vs 49.2 ms). (C) [S9]
const armInitFactor = 0.85

// packageInitPerMB is the Init Duration a deployment package adds per MB:
// Node 20 went from 242 ms (1 KB) to 1,354 ms (32 MB), ≈ 35 ms/MB (M) [S13];
// discounted to 25 ms/MB because not every file is loaded at init (I).
const packageInitPerMB = 25 * time.Millisecond

// runtimeModelFor finds the model of a runtime name: its own, a listed
// alias, or its family's stand-in (runtimes.go); anything else is treated as
// Python (I).
func runtimeModelFor(runtime string) runtimeModel {
	if alias, ok := runtimeAliases[runtime]; ok {
		runtime = alias
	}
	if m, ok := runtimeModels[runtime]; ok {
		return m
	}
	if stand, ok := familyModel(runtime); ok {
		return runtimeModels[stand]
	}
	return runtimeModels["python3.12"]
}

// The lab's function: Python 3.12 with boto3 and Powertools
// (docs/sandbox-model.md#cold-starts).
var (
	// productInit: hello-world 87 ms [S9] plus boto3/Powertools-class imports
	// ≈ 200–300 ms [S17]; calibrated to 400 ms, memory-independent. (I)
	productInit = logNormal{400 * time.Millisecond, 0.15}
	// productFirstInvokeCPU is the first invoke's lazy loading and first SDK
	// call: 12 vCPU-ms, ≈ 166 ms at 128 MB and 12 ms from 1,769 MB. (I) [S8], [S17]
	productFirstInvokeCPU = 12 * time.Millisecond
	// productMemoryMB is Max Memory Used (96 MB with X-Ray on top [S17]). (I)
	productMemoryMB = 72
)

// functionProfile is how one configuration of one function behaves: what its
// cold start costs and which code it runs.
type functionProfile struct {
	runtime        runtimeModel
	init           logNormal
	firstInvokeCPU time.Duration
	memoryMB       int
	handler        handler
}

// profileFor builds the profile of a function at a configuration.
func (s *Sandbox) profileFor(f *function, cfg functionConfig) functionProfile {
	rt := runtimeModelFor(cfg.Runtime)
	p := functionProfile{runtime: rt, init: rt.init, firstInvokeCPU: rt.firstInvokeCPU, memoryMB: rt.memoryMB}
	if f.name == s.productFunction {
		p.init, p.firstInvokeCPU, p.memoryMB = productInit, productFirstInvokeCPU, productMemoryMB
		p.handler = s.products
	} else {
		p.init.median += time.Duration(float64(packageInitPerMB) * float64(cfg.CodeSize) / (1 << 20))
		p.handler = genericHandlerFor(f.name, rt)
	}
	if !f.code.loads(cfg) {
		p.handler = brokenCode{entry: f.code, family: rt.family, handler: cfg.Handler}
	}
	if strings.EqualFold(cfg.Architecture, "arm64") {
		p.init.median = time.Duration(float64(p.init.median) * armInitFactor)
	}
	return p
}

// speed is the profile's handler CPU share at memory MB.
func (p functionProfile) speed(memoryMB int) float64 {
	return cpuSpeed(memoryMB, p.runtime.multiThreaded)
}
