package tune

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// Facts is what planning a change needs to know about the function and the
// account. A screen gathers them once when a dialog opens and plans against
// them on every keystroke; Apply re-checks with AWS itself.
type Facts struct {
	Detail  aws.FunctionDetail
	Account aws.Account
	// AverageDurationMs is the function's recent average duration (0 when it
	// has not run lately), the basis of the cost per 1M requests.
	AverageDurationMs float64
	Prices            Prices
}

// Facts reads the function, the account and the function's recent average
// duration. A metrics failure leaves the duration unknown rather than
// failing: the change can still be planned, only its cost cannot.
func (s *Session) Facts(ctx context.Context, name string) (Facts, error) {
	detail, err := s.client.FunctionDetail(ctx, name)
	if err != nil {
		return Facts{}, err
	}
	acct, err := s.client.AccountSettings(ctx)
	if err != nil {
		return Facts{}, err
	}
	avg, _ := s.RecentAverageDuration(ctx, name)
	return Facts{Detail: detail, Account: acct, AverageDurationMs: avg, Prices: s.prices}, nil
}

// RecentAverageDuration is the invocation-weighted average Duration over the
// metrics view's window, in milliseconds; 0 when nothing ran.
func (s *Session) RecentAverageDuration(ctx context.Context, name string) (float64, error) {
	view := s.MetricsView()
	now := s.clock.Now()
	m, err := s.client.FunctionMetrics(ctx, aws.FunctionMetricsQuery{FunctionName: name,
		Window: aws.MetricWindow{Start: now.Add(-view.Window), End: now, Period: view.Period, PendingHorizon: view.Pending}})
	if err != nil {
		return 0, err
	}
	return WeightedAverage(m.DurationAverage, m.Invocations), nil
}

// WeightedAverage averages per-period averages weighted by each period's count.
func WeightedAverage(averages, counts aws.Series) float64 {
	var sum, n float64
	for i, pt := range averages.Points {
		if pt.State != aws.PointValue || i >= len(counts.Points) || counts.Points[i].State != aws.PointValue {
			continue
		}
		sum += pt.Value * counts.Points[i].Value
		n += counts.Points[i].Value
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// MetricsView says which CloudWatch periods and window the screens read:
// 1-second periods over the last 3 minutes in the sandbox; CloudWatch's
// 1-minute periods over the last hour on a real account, where the newest
// minutes may not be published yet (docs/metrics.md).
type MetricsView struct {
	Period, Window, Every, Pending time.Duration
}

// MetricsView is the view for this session's mode.
func (s *Session) MetricsView() MetricsView { return ViewFor(s.where.Sandbox) }

// ViewFor is the metrics view of the sandbox (true) or a real account.
func ViewFor(sandbox bool) MetricsView {
	if sandbox {
		return MetricsView{Period: time.Second, Window: 3 * time.Minute, Every: 2 * time.Second}
	}
	return MetricsView{Period: time.Minute, Window: time.Hour, Every: 30 * time.Second, Pending: aws.AWSPendingHorizon}
}

// effects says what a plan does beyond its settings: the account's
// unreserved concurrency, and the cost.
func effects(p Plan, f Facts) []string {
	var out []string
	if p.UnreservedBefore != p.UnreservedAfter {
		out = append(out, fmt.Sprintf("account's unreserved concurrency %d → %d (limit %d; AWS keeps at least %d unreserved)",
			p.UnreservedBefore, p.UnreservedAfter, f.Account.ConcurrencyLimit, f.Account.Floor()))
	} else if touchesConcurrency(p) && p.Before.Reserved != nil {
		out = append(out, fmt.Sprintf("account's unreserved concurrency stays %d: it comes out of the function's reserved %d",
			p.UnreservedBefore, *p.Before.Reserved))
	}
	if r := p.After.Reserved; r != nil && *r == 0 && p.Before.ReservedText() != "0" {
		out = append(out, "reserved concurrency 0 throttles every invocation until it is removed")
	}
	if p.Request.Kind == ChangeReserved {
		out = append(out, "reserved concurrency itself has no charge")
	}
	return append(out, costEffects(p, f)...)
}

func touchesConcurrency(p Plan) bool {
	for _, s := range p.Steps {
		switch s.Action {
		case ActionReserved, ActionRemoveReserved, ActionProvisioned, ActionRemoveProvisioned:
			return true
		}
	}
	return false
}

func costEffects(p Plan, f Facts) []string {
	var out []string
	arch := p.Before.Architecture
	if p.Before.MemoryMB != p.After.MemoryMB {
		out = append(out, fmt.Sprintf("CPU share %.2f → %.2f vCPU (Lambda gives one vCPU at 1,769 MB)",
			float64(p.Before.MemoryMB)/1769, float64(p.After.MemoryMB)/1769))
		if f.AverageDurationMs > 0 {
			out = append(out, fmt.Sprintf("cost per 1M requests at the current average duration (%s): %s → %s, if the duration stayed the same; more memory usually shortens it — a load test tells",
				millis(f.AverageDurationMs), Dollars(f.Prices.PerMillion(f.AverageDurationMs, p.Before.MemoryMB, arch)),
				Dollars(f.Prices.PerMillion(f.AverageDurationMs, p.After.MemoryMB, arch))))
		} else {
			out = append(out, "cost per 1M requests: unknown until the function runs (no recent Duration in CloudWatch)")
		}
	}
	before, after := p.Before.ProvisionedTotal(), p.After.ProvisionedTotal()
	if before != after || (after > 0 && p.Before.MemoryMB != p.After.MemoryMB) {
		out = append(out, fmt.Sprintf("provisioned concurrency capacity: %s → %s per month (%d h), billed while configured, used or not",
			Dollars(f.Prices.ProvisionedPerMonth(before, p.Before.MemoryMB, arch)),
			Dollars(f.Prices.ProvisionedPerMonth(after, p.After.MemoryMB, arch)), HoursPerMonth))
	}
	return out
}

func millis(ms float64) string {
	if ms >= 100 {
		return fmt.Sprintf("%.0f ms", ms)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", ms), ".0") + " ms"
}
