package sandbox

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// labSeed seeds both the sandbox's draws and the simulated users'.
const labSeed = 2026

// labScenario is one step of the lab: a change made through the real SDK
// client before the load starts.
type labScenario struct {
	name  string
	setup func(fx *fixture, product *string)
}

var labScenarios = []labScenario{
	{"128 MB", func(*fixture, *string) {}},
	{"3008 MB", func(fx *fixture, product *string) {
		_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: product, MemorySize: aws.Int32(3008)})
		mustNoErr(fx.t, err, "UpdateFunctionConfiguration 3008 MB")
		fx.clock.Advance(Fast().UpdateDelay)
	}},
	{"128 MB + PC 40 on live", func(fx *fixture, product *string) {
		v, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: product})
		mustNoErr(fx.t, err, "PublishVersion")
		_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: product, Name: aws.String("live"), FunctionVersion: v.Version})
		mustNoErr(fx.t, err, "CreateAlias live")
		_, err = fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
			FunctionName: product, Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(40)})
		mustNoErr(fx.t, err, "PutProvisionedConcurrencyConfig 40")
		fx.clock.Advance(Fast().ProvisionedAllocationDelay)
		if got := fx.getProvisioned(product, "live"); got.Status != types.ProvisionedConcurrencyStatusEnumReady {
			fx.t.Fatalf("provisioned concurrency is %s before the load", got.Status)
		}
	}},
	{"128 MB + reserved 20", func(fx *fixture, product *string) {
		_, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: product, ReservedConcurrentExecutions: aws.Int32(20)})
		mustNoErr(fx.t, err, "PutFunctionConcurrency 20")
	}},
}

// runScenario sets up a fresh seeded sandbox, applies the scenario and runs
// the lab's load against its API front in simulated time.
func runScenario(t *testing.T, sc labScenario, load labLoad) labResult {
	obs := &labObserver{}
	cfg := testConfig()
	cfg.Seed, cfg.Observer = labSeed, obs
	fx := newFixture(t, cfg)
	product := aws.String(fx.sb.ProductFunctionName())
	sc.setup(fx, product)
	return runLab(fx, obs, load, labSeed)
}

// TestLabReproduced is the lab's table, reproduced in simulated time
// (docs/sandbox-model.md#the-lab-reproduced); the simulation the model was
// calibrated with (docs/sandbox-model.md#how-the-products-api-was-calibrated)
// expects ≈106 ms average and 925–1024 ms maximum at 128 MB, ≈28 ms at
// 3008 MB, and a 408–423 ms maximum with provisioned concurrency 40.
func TestLabReproduced(t *testing.T) {
	load := theLabLoad
	if raceEnabled || testing.Short() {
		load.duration = 2 * time.Minute // the race detector slows the simulation ~10×
	}
	results := make([]labResult, len(labScenarios))
	t.Log("| scenario | requests | req/s | avg ms | p50 ms | p99 ms | max ms | cold starts | max concurrency | throttles |")
	t.Log("|---|---|---|---|---|---|---|---|---|---|")
	for i, sc := range labScenarios {
		results[i] = runScenario(t, sc, load)
		t.Log(results[i].row(sc.name))
	}
	base, big, provisioned, reserved := results[0], results[1], results[2], results[3]

	if base.avg <= 100*time.Millisecond || base.max < 900*time.Millisecond || base.rampColdStarts == 0 {
		t.Errorf("128 MB: average %v (want > 100 ms), maximum %v (want ≥ 900 ms), %d cold starts in the ramp (want some)",
			base.avg, base.max, base.rampColdStarts)
	}
	if base.rps < 170 || base.rps > 230 {
		t.Errorf("128 MB: %.0f requests/s, want about 200", base.rps)
	}
	if big.avg >= base.avg/2 {
		t.Errorf("3008 MB: average %v, want under half of 128 MB's %v", big.avg, base.avg)
	}
	if provisioned.max > base.max/2 || provisioned.coldStartsAtOrBelow40 != 0 {
		t.Errorf("provisioned concurrency 40: maximum %v (want at most half of %v), %d cold starts at concurrency ≤ 40 (want none)",
			provisioned.max, base.max, provisioned.coldStartsAtOrBelow40)
	}
	if reserved.maxConcurrency > 20 || reserved.throttles == 0 || reserved.errors5xx != reserved.throttles {
		t.Errorf("reserved 20: concurrency reached %d (want ≤ 20), %d throttles (want some), %d answered 500",
			reserved.maxConcurrency, reserved.throttles, reserved.errors5xx)
	}
}
