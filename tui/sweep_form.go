package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdatune/lambdatune/tune"
)

// The sweep form's fields, in order.
const (
	sweepFieldMemory = iota
	sweepFieldWorkload
	sweepFieldParallel
	sweepFieldStrategy
	sweepFieldCold
)

// newSweepForm asks for the memory list, the workload (N Invokes, or a
// load test's run time), the parallelism, the strategy and cold-start mode.
func newSweepForm() form {
	return newForm(
		newField("Memory (MB)", "128,256,512,1024,1536,2048,3008", "sizes to measure, 128–10240", checkMemoryList),
		newField("Workload", fmt.Sprint(tune.DefaultSweepInvokes), "Invokes per step (a number), or a load test's run time per step (30s)", checkSweepWorkload),
		newField("Parallel", "4", "Invokes in flight at once, or the load test's users", checkPositive("parallel")),
		newField("Strategy", "balanced p95 0.5", "cost | speed [p50|p95|p99] | balanced [percentile] [cost weight 0–1]", checkStrategy),
		newField("Cold starts", "no", "yes: force a new environment before each Invoke (one at a time)", checkYesNo),
	)
}

func checkMemoryList(s string) error {
	_, err := tune.ParseMemoryList(s)
	return err
}

// sweepWorkload reads the workload field: a number is Invokes, a duration a
// load test's run time.
func sweepWorkload(s string) (invokes int, load bool, err error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > tune.MaxSweepInvokes {
			return 0, false, fmt.Errorf("between 1 and %d Invokes", tune.MaxSweepInvokes)
		}
		return n, false, nil
	}
	if _, err := tune.ParseRunTime(s); err != nil {
		return 0, false, fmt.Errorf("a number of Invokes (100) or a run time (30s)")
	}
	return 0, true, nil
}

func checkSweepWorkload(s string) error {
	_, _, err := sweepWorkload(s)
	return err
}

// parseStrategy reads "balanced p95 0.5", "speed p99", "cost".
func parseStrategy(s string) (tune.ChoiceOptions, error) {
	o := tune.DefaultChoice()
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 {
		return o, fmt.Errorf("cost, speed or balanced")
	}
	o.Strategy = tune.Strategy(words[0])
	for _, w := range words[1:] {
		if strings.HasPrefix(w, "p") {
			o.Percentile = w
			continue
		}
		v, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return o, fmt.Errorf("%q: a percentile (p95) or a cost weight (0.5)", w)
		}
		o.Weight = v
	}
	return o, o.Validate()
}

func checkStrategy(s string) error {
	_, err := parseStrategy(s)
	return err
}

func checkYesNo(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "no", "n":
		return nil
	}
	return fmt.Errorf("yes or no")
}

// sweepPlan turns the form into a plan for fn; target is where a load test
// goes.
func (f form) sweepPlan(fn string, target tune.LoadTarget) (tune.SweepPlan, error) {
	if i, err := f.firstError(); err != nil {
		return tune.SweepPlan{}, fmt.Errorf("%s: %w", f.fields[i].label, err)
	}
	memories, _ := tune.ParseMemoryList(f.value(sweepFieldMemory))
	choice, _ := parseStrategy(f.value(sweepFieldStrategy))
	parallel, _ := strconv.Atoi(f.value(sweepFieldParallel))
	cold := strings.HasPrefix(strings.ToLower(f.value(sweepFieldCold)), "y")
	plan := tune.SweepPlan{Function: fn, Memories: memories, Choice: choice, ColdStarts: cold}
	invokes, isLoad, _ := sweepWorkload(f.value(sweepFieldWorkload))
	if !isLoad {
		plan.Workload = tune.SweepWorkload{Invokes: invokes, Parallel: parallel}
		return plan, plan.Validate()
	}
	runTime, _ := tune.ParseRunTime(f.value(sweepFieldWorkload))
	ls := tune.DefaultLoadSettings(target)
	ls.Users, ls.SpawnRate, ls.RunTime = parallel, float64(parallel), runTime
	plan.Workload = tune.SweepWorkload{Load: &ls}
	return plan, plan.Validate()
}
