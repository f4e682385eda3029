package tune

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lambdatune/lambdatune/aws"
)

func int32p(n int32) *int32 { return &n }
func int64p(n int64) *int64 { return &n }

// labFacts is the lab's starting point: 128 MB, no versions, no aliases, in a
// default account of 1,000 with nothing reserved.
func labFacts() Facts {
	return Facts{
		Detail: aws.FunctionDetail{Function: aws.Function{Name: "product-api", Runtime: "python3.12", Architecture: ArchX86,
			MemoryMB: 128, TimeoutSec: 3, Concurrency: aws.Concurrency{Known: true}}},
		Account:           aws.Account{ConcurrencyLimit: 1000, Unreserved: 1000},
		AverageDurationMs: 91,
		Prices:            DefaultPrices(),
	}
}

func TestPlanMemoryPreviewsOldNewAndCost(t *testing.T) {
	plan, err := PlanChange(ChangeRequest{Kind: ChangeMemory, MemoryMB: 3008}, labFacts())
	if err != nil {
		t.Fatal(err)
	}
	preview := strings.Join(plan.Preview(), "\n")
	for _, want := range []string{"memory 128 MB → 3008 MB", "current average duration (91 ms): $0.39 → $4.66"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	if len(plan.Steps) != 1 || plan.Steps[0].Action != ActionMemory || plan.Steps[0].MemoryMB != 3008 {
		t.Fatalf("steps = %+v", plan.Steps)
	}
	if plan.Request.Function != "product-api" {
		t.Fatalf("function = %q", plan.Request.Function)
	}
}

func TestPlanRefusesWithAWSWords(t *testing.T) {
	withPC := labFacts()
	withPC.Detail.Aliases = []aws.Alias{{Name: "live", Version: "1"}}
	withPC.Detail.Versions = []aws.Version{{Version: "1"}}
	withPC.Detail.Concurrency.Provisioned = []aws.ProvisionedConcurrency{{Qualifier: "live", Requested: 40, Status: "READY"}}
	withPC.Account.Unreserved = 960
	reserved20 := labFacts()
	reserved20.Detail.Concurrency.Reserved = int32p(20)
	reserved20.Account.Unreserved = 980
	tests := []struct {
		name  string
		req   ChangeRequest
		facts Facts
		want  string
	}{
		{"memory too small", ChangeRequest{Kind: ChangeMemory, MemoryMB: 64}, labFacts(),
			"Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{"memory too large", ChangeRequest{Kind: ChangeMemory, MemoryMB: 10241}, labFacts(), "less than or equal to 10240"},
		{"reserved above the account", ChangeRequest{Kind: ChangeReserved, Reserved: int64p(5000)}, labFacts(),
			"decreases account's UnreservedConcurrentExecution below its minimum value of [100]"},
		{"reserved into the floor", ChangeRequest{Kind: ChangeReserved, Reserved: int64p(950)}, labFacts(), "minimum value of [100]"},
		{"reserved negative", ChangeRequest{Kind: ChangeReserved, Reserved: int64p(-1)}, labFacts(), "greater than or equal to 0"},
		{"reserved below provisioned", ChangeRequest{Kind: ChangeReserved, Reserved: int64p(20)}, withPC,
			"should not be lower than function's total provisioned concurrency [40]"},
		{"provisioned on $LATEST", ChangeRequest{Kind: ChangeProvisioned, Qualifier: "$LATEST", Provisioned: 5}, labFacts(),
			"cannot be applied to unpublished function versions"},
		{"provisioned on a missing alias", ChangeRequest{Kind: ChangeProvisioned, Qualifier: "live", Provisioned: 5}, labFacts(),
			`has no alias or version "live"`},
		{"provisioned above reserved", ChangeRequest{Kind: ChangeProvisioned, Qualifier: "live", Provisioned: 40, PublishAlias: true}, reserved20,
			"should not be greater than the reservedConcurrentExecution"},
		{"provisioned into the floor", ChangeRequest{Kind: ChangeProvisioned, Qualifier: "live", Provisioned: 901, PublishAlias: true}, labFacts(),
			"minimum value of [100]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PlanChange(tc.req, tc.facts)
			if !errors.Is(err, aws.ErrInvalidValue) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want a validation error with %q", err, tc.want)
			}
		})
	}
}

func TestPlanNothingToChange(t *testing.T) {
	for _, req := range []ChangeRequest{
		{Kind: ChangeMemory, MemoryMB: 128},
		{Kind: ChangeReserved},
	} {
		if _, err := PlanChange(req, labFacts()); !errors.Is(err, ErrNothingToChange) {
			t.Errorf("%+v: err = %v, want ErrNothingToChange", req, err)
		}
	}
}

// The lab's step 3 from its starting point: publish, create live, provision 40.
func TestPlanPublishAliasAndProvision(t *testing.T) {
	plan, err := PlanChange(ChangeRequest{Kind: ChangeProvisioned, Qualifier: "live", Provisioned: 40, PublishAlias: true}, labFacts())
	if err != nil {
		t.Fatal(err)
	}
	actions := []Action{}
	for _, s := range plan.Steps {
		actions = append(actions, s.Action)
	}
	if want := []Action{ActionPublish, ActionPointAlias, ActionProvisioned}; !slices.Equal(actions, want) {
		t.Fatalf("actions = %v, want %v", actions, want)
	}
	if plan.UnreservedBefore != 1000 || plan.UnreservedAfter != 960 {
		t.Fatalf("unreserved %d → %d, want 1000 → 960", plan.UnreservedBefore, plan.UnreservedAfter)
	}
	preview := strings.Join(plan.Preview(), "\n")
	for _, want := range []string{"provisioned concurrency on live none → 40", "alias live none → version (new)",
		"account's unreserved concurrency 1000 → 960", "$0 → $54.75 per month", "step 1 of 3: publish $LATEST as a new version"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
}

func TestPlanReservedEffects(t *testing.T) {
	plan, err := PlanChange(ChangeRequest{Kind: ChangeReserved, Reserved: int64p(20)}, labFacts())
	if err != nil {
		t.Fatal(err)
	}
	if plan.UnreservedAfter != 980 {
		t.Fatalf("unreserved after = %d, want 980", plan.UnreservedAfter)
	}
	if preview := strings.Join(plan.Preview(), "\n"); !strings.Contains(preview, "reserved concurrency none → 20") ||
		!strings.Contains(preview, "no charge") {
		t.Fatalf("preview:\n%s", preview)
	}
	zero, err := PlanChange(ChangeRequest{Kind: ChangeReserved, Reserved: int64p(0)}, labFacts())
	if err != nil || !strings.Contains(strings.Join(zero.Preview(), "\n"), "throttles every invocation") {
		t.Fatalf("reserved 0: %v %v", zero.Preview(), err)
	}
}

// Restoring the lab's start after step 3 and a reservation: provisioned
// concurrency goes first, the alias is deleted after it, memory and the
// reservation are put back.
func TestRestoreStepsOrder(t *testing.T) {
	start := ConfigOf(labFacts().Detail)
	now := start
	now.MemoryMB = 3008
	now.Reserved = int32p(50)
	now.Aliases = []AliasConfig{{Name: "live", Version: "1"}}
	now.Provisioned = []ProvisionedConfig{{Qualifier: "live", Requested: 40}}
	var got []string
	for _, s := range restoreSteps(now, start) {
		got = append(got, s.Describe())
	}
	want := []string{"remove provisioned concurrency from live", "set memory to 128 MB and wait until the update is Successful",
		"remove reserved concurrency", "delete alias live"}
	if !slices.Equal(got, want) {
		t.Fatalf("restore steps:\n%v\nwant\n%v", got, want)
	}
	facts := labFacts()
	facts.Detail.MemoryMB = 3008
	facts.Detail.Concurrency.Reserved = int32p(50)
	facts.Detail.Aliases = []aws.Alias{{Name: "live", Version: "1"}}
	facts.Detail.Concurrency.Provisioned = []aws.ProvisionedConcurrency{{Qualifier: "live", Requested: 40}}
	facts.Account.Unreserved = 950
	plan, err := PlanChange(ChangeRequest{Kind: ChangeRestore, Target: &start}, facts)
	if err != nil {
		t.Fatal(err)
	}
	if d := plan.After.Diff(start); len(d) != 0 {
		t.Fatalf("restore plan ends at a different configuration: %v", d)
	}
	if plan.UnreservedAfter != 1000 {
		t.Fatalf("unreserved after restore = %d, want 1000", plan.UnreservedAfter)
	}
}
