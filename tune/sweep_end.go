package tune

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// restoreRetry is the pause between restore attempts while the endpoint
// does not answer.
const restoreRetry = time.Second

// endSweep puts the function back: at the chosen memory when the plan asks
// to apply it and the sweep completed with a choice, else at the original
// configuration. It runs on a context of its own, so an interrupted sweep
// restores too, and retries while the endpoint does not answer, up to
// RestoreWait; then it says plainly what state the function is in.
func (s *Session) endSweep(ctx context.Context, prep SweepPrep, res *SweepResult, opts SweepOptions, completed bool) {
	wait := opts.RestoreWait
	if wait <= 0 {
		wait = DefaultRestoreWait
	}
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), wait)
	defer cancel()
	opts.report(SweepProgress{Steps: len(prep.Plan.Memories), Phase: "restoring", Done: res.Steps})
	apply := prep.Plan.ApplyChosen && completed && res.Choice.Found()
	want := prep.Original.MemoryMB
	if apply {
		want = res.Choice.MemoryMB
	}
	end, err := s.retryEnd(ectx, func(c context.Context) (SweepEnd, error) { return s.putBack(c, prep, want, apply) })
	if err == nil && prep.Plan.ColdStarts {
		_, err = s.retryEnd(ectx, func(c context.Context) (SweepEnd, error) {
			return end, s.client.RemoveEnvironmentVariable(c, prep.Plan.Function, SweepNonceVariable, nil)
		})
		if err == nil {
			end.What += fmt.Sprintf("; environment variable %s removed", SweepNonceVariable)
		}
	}
	if err != nil {
		end = s.unrestored(prep, want, err)
	}
	res.End = end
}

// retryEnd calls do until it succeeds, ctx ends, or the error is not one
// of an endpoint that does not answer.
func (s *Session) retryEnd(ctx context.Context, do func(context.Context) (SweepEnd, error)) (SweepEnd, error) {
	for {
		end, err := do(ctx)
		if err == nil || !endpointGone(err) || ctx.Err() != nil {
			return end, err
		}
		if s.clock.Sleep(ctx, restoreRetry) != nil {
			return end, err
		}
	}
}

// endpointGone: the endpoint did not answer (refused, reset, no route, timed out).
func endpointGone(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	msg := aws.Explain(err)
	for _, word := range []string{"connect", "connection", "unreachable", "no such host", "EOF", "timed out", "refused"} {
		if containsFold(msg, word) || containsFold(err.Error(), word) {
			return true
		}
	}
	return false
}

// putBack sets the memory to want through the normal path; restoring uses
// ChangeRestore toward the original configuration.
func (s *Session) putBack(ctx context.Context, prep SweepPrep, want int32, apply bool) (SweepEnd, error) {
	fn := prep.Plan.Function
	facts, err := s.Facts(ctx, fn)
	if err != nil {
		return SweepEnd{}, err
	}
	req := ChangeRequest{Function: fn, Kind: ChangeRestore, Target: &prep.Original}
	if apply {
		req = ChangeRequest{Function: fn, Kind: ChangeMemory, MemoryMB: int64(want)}
	}
	before := facts.Detail.MemoryMB
	plan, err := PlanChange(req, facts)
	if errors.Is(err, ErrNothingToChange) {
		return endAt(before, apply, fmt.Sprintf("the function was already at %d MB: nothing to %s", before, verb(apply))), nil
	}
	if err != nil {
		return SweepEnd{}, err
	}
	out, err := s.Apply(ctx, plan, ApplyOptions{Path: PathSweep})
	if err != nil {
		return SweepEnd{}, errors.New(out.Summary())
	}
	what := fmt.Sprintf("restored memory %d MB → %d MB, the original", before, out.After.MemoryMB)
	if apply {
		what = fmt.Sprintf("applied the chosen memory: %d MB → %d MB", before, out.After.MemoryMB)
	}
	return endAt(out.After.MemoryMB, apply, what), nil
}

func endAt(mb int32, apply bool, what string) SweepEnd {
	return SweepEnd{Restored: !apply, Applied: apply, MemoryMB: mb, What: what}
}

func verb(apply bool) string {
	if apply {
		return "apply"
	}
	return "restore"
}

// unrestored says what state the function is in when it could not be put
// back, and how to do it by hand.
func (s *Session) unrestored(prep SweepPrep, want int32, err error) SweepEnd {
	fn := prep.Plan.Function
	end := SweepEnd{Error: aws.Explain(err)}
	state := "its memory could not be read back"
	rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if d, derr := s.client.FunctionDetail(rctx, fn); derr == nil {
		end.MemoryMB = d.MemoryMB
		state = fmt.Sprintf("it is at %d MB", d.MemoryMB)
	}
	end.What = fmt.Sprintf("NOT RESTORED: %s; %s, and its original memory is %d MB. Put it back with: lambdatune set memory %s %d",
		aws.Explain(err), state, prep.Original.MemoryMB, fn, want)
	if prep.Plan.ColdStarts {
		end.What += fmt.Sprintf(" (and remove the environment variable %s)", SweepNonceVariable)
	}
	return end
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
