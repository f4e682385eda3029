package main

import (
	"fmt"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// requestFor turns `set KIND NAME VALUE` into a change request, checking the
// value's form (a whole number, or none) before anything is read.
func requestFor(kind tune.ChangeKind, target, value string, publish bool) (tune.ChangeRequest, error) {
	req := tune.ChangeRequest{Function: target, Kind: kind}
	switch kind {
	case tune.ChangeMemory:
		mb, err := aws.ParseWhole("memory", value)
		if err != nil {
			return req, err
		}
		req.MemoryMB = mb
		return req, aws.ValidateMemory(mb)
	case tune.ChangeReserved:
		if isNone(value) {
			return req, nil
		}
		n, err := aws.ParseWhole("reserved concurrency", value)
		req.Reserved = &n
		if err == nil && n < aws.MinReserved {
			err = aws.ValidateReserved(n, 0, 0, aws.Account{})
		}
		return req, err
	}
	name, qualifier, _ := strings.Cut(target, ":")
	req.Function, req.Qualifier, req.PublishAlias = name, qualifier, publish
	if err := aws.ValidateQualifier(qualifier); err != nil {
		return req, fmt.Errorf("%w (name the alias or version: NAME:live)", err)
	}
	if isNone(value) {
		return req, nil
	}
	n, err := aws.ParseWhole("provisioned concurrency", value)
	req.Provisioned = n
	if err == nil && n < aws.MinProvisioned {
		err = aws.ValidateProvisioned(n, aws.ProvisionedTarget{Qualifier: qualifier})
	}
	return req, err
}

func isNone(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "none", "remove", "off":
		return true
	}
	return false
}

// printPlan writes the plan's preview: old → new, what it does, the steps.
func printPlan(out interface{ Write([]byte) (int, error) }, name string, plan tune.Plan) {
	fmt.Fprintf(out, "%s: %s\n", name, plan.Title())
	for _, line := range plan.Preview()[len(plan.Before.Diff(plan.After)):] {
		fmt.Fprintf(out, "  %s\n", line)
	}
}
