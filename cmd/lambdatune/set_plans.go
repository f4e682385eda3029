package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
)

// memory plans a memory change: validated before anything is read.
func (o *setOptions) memory(ctx context.Context, client *aws.Client, name, value string) (change, error) {
	mb, err := aws.ParseWhole("memory", value)
	if err != nil {
		return change{}, err
	}
	if err := aws.ValidateMemory(mb); err != nil {
		return change{}, err
	}
	detail, err := client.FunctionDetail(ctx, name)
	if err != nil {
		return change{}, err
	}
	old := int64(detail.MemoryMB)
	preview := fmt.Sprintf("%s: memory %d MB → %d MB (CPU share %.2f → %.2f vCPU)", name, old, mb, vcpu(old), vcpu(mb))
	return change{preview: preview, apply: func(ctx context.Context, progress aws.ProgressFunc) (string, error) {
		f, err := client.SetMemory(ctx, name, mb, progress)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("memory of %s is %d MB (LastUpdateStatus %s)", name, f.MemoryMB, f.LastUpdateStatus), nil
	}}, nil
}

// reserved plans setting or removing reserved concurrency.
func (o *setOptions) reserved(ctx context.Context, client *aws.Client, name, value string) (change, error) {
	conc, err := client.FunctionConcurrency(ctx, name)
	if err != nil {
		return change{}, err
	}
	old := "none"
	if conc.Reserved != nil {
		old = strconv.Itoa(int(*conc.Reserved))
	}
	if isNone(value) {
		return change{preview: fmt.Sprintf("%s: reserved concurrency %s → none (back to the unreserved pool)", name, old),
			apply: func(ctx context.Context, _ aws.ProgressFunc) (string, error) {
				return "reserved concurrency removed from " + name, client.RemoveReserved(ctx, name)
			}}, nil
	}
	n, err := aws.ParseWhole("reserved concurrency", value)
	if err != nil {
		return change{}, err
	}
	note := ""
	if n == 0 {
		note = " (0 throttles every invocation)"
	}
	return change{preview: fmt.Sprintf("%s: reserved concurrency %s → %d%s", name, old, n, note),
		apply: func(ctx context.Context, _ aws.ProgressFunc) (string, error) {
			return fmt.Sprintf("reserved concurrency of %s is %d", name, n), client.SetReserved(ctx, name, n)
		}}, nil
}

// provisioned plans provisioned concurrency on NAME:QUALIFIER.
func (o *setOptions) provisioned(ctx context.Context, client *aws.Client, target, value string) (change, error) {
	name, qualifier, _ := strings.Cut(target, ":")
	if err := aws.ValidateQualifier(qualifier); err != nil {
		return change{}, fmt.Errorf("%w (name the alias or version: NAME:live)", err)
	}
	old := "none"
	if pc, err := client.GetProvisioned(ctx, name, qualifier); err == nil {
		old = fmt.Sprintf("%d (%s)", pc.Requested, pc.Status)
	}
	if isNone(value) {
		return change{preview: fmt.Sprintf("%s:%s: provisioned concurrency %s → none", name, qualifier, old),
			apply: func(ctx context.Context, _ aws.ProgressFunc) (string, error) {
				return "provisioned concurrency removed from " + target, client.RemoveProvisioned(ctx, name, qualifier)
			}}, nil
	}
	n, err := aws.ParseWhole("provisioned concurrency", value)
	if err != nil {
		return change{}, err
	}
	return change{preview: fmt.Sprintf("%s:%s: provisioned concurrency %s → %d", name, qualifier, old, n),
		apply: func(ctx context.Context, progress aws.ProgressFunc) (string, error) {
			pc, err := client.SetProvisioned(ctx, name, qualifier, n, progress)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("provisioned concurrency on %s is %s: %d of %d available", target, pc.Status, pc.Available, pc.Requested), nil
		}}, nil
}

func isNone(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "none", "remove", "off":
		return true
	}
	return false
}

// vcpu is the CPU share AWS allocates to memory: one vCPU at 1,769 MB.
func vcpu(mb int64) float64 { return float64(mb) / 1769 }
