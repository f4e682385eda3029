package sandbox

import (
	"net/http"
	"time"
)

// Messages of the provisioned-concurrency rules
// (docs/sandbox-model.md#the-control-plane): AWS's texts as LocalStack
// reproduces them (C) [S43]; the floor's from real accounts (M) [S31].
const (
	msgUnpublished      = "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
	msgAliasOrVersion   = "The function resource provided must be an alias or a published version."
	msgVersionProvided  = "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
	msgAliasProvisioned = "Version is pointed by a Provisioned Concurrency alias"
	msgAboveReserved    = "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function"
	msgBelowFloor       = "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d]."
)

// provisionedTarget is the function and published version a qualifier names.
type provisionedTarget struct {
	f         *function
	qualifier string
	version   int
}

// findProvisionedTarget resolves the path's function and the Qualifier
// parameter to a published version. onLatest is the error for $LATEST, which
// Put words differently from Get and Delete.
func (s *Sandbox) findProvisionedTarget(req request, onLatest string) (provisionedTarget, *apiError) {
	qualifier := req.URL.Query().Get("Qualifier")
	if qualifier == "" {
		return provisionedTarget{}, errValidation(missing("qualifier"))
	}
	if qualifier == latestVersion {
		return provisionedTarget{}, errInvalidParameter("%s", onLatest)
	}
	ref, err := parseFunctionName(req.PathValue("name"), qualifier)
	if err != nil {
		return provisionedTarget{}, err
	}
	f, err := s.acct.lookup(ref)
	if err != nil {
		return provisionedTarget{}, err
	}
	if isVersionNumber(qualifier) {
		if f.version(versionNumber(qualifier)) == nil {
			return provisionedTarget{}, errFunctionNotFound(s.acct.qualifiedARN(f.name, qualifier))
		}
		return provisionedTarget{f, qualifier, versionNumber(qualifier)}, nil
	}
	a := f.aliases[qualifier]
	if a == nil {
		return provisionedTarget{}, errAliasNotFound(s.acct.qualifiedARN(f.name, qualifier))
	}
	if a.version == latestVersion {
		if onLatest == msgUnpublished {
			return provisionedTarget{}, errInvalidParameter(msgUnpublished)
		}
		// An alias on $LATEST cannot hold a config: Get and Delete find none.
		return provisionedTarget{f, qualifier, 0}, nil
	}
	return provisionedTarget{f, qualifier, versionNumber(a.version)}, nil
}

// PutProvisionedConcurrencyConfig:
// PUT /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier → 202,
// IN_PROGRESS until the allocation delay has passed, then READY all at once.
func (s *Sandbox) putProvisionedConcurrency(req request) (response, *apiError) {
	var in struct{ ProvisionedConcurrentExecutions *int }
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	switch {
	case in.ProvisionedConcurrentExecutions == nil:
		return response{}, errValidation(missing("provisionedConcurrentExecutions"))
	case *in.ProvisionedConcurrentExecutions < 1:
		return response{}, errValidation(tooLow(*in.ProvisionedConcurrentExecutions, "provisionedConcurrentExecutions", 1))
	}
	t, err := s.findProvisionedTarget(req, msgUnpublished)
	if err != nil {
		return response{}, err
	}
	requested := *in.ProvisionedConcurrentExecutions
	existing := t.f.provisioned[t.version]
	if err := s.checkProvisioned(t, existing, requested); err != nil {
		return response{}, err
	}
	p := s.allocate(t, existing, requested, req.now)
	return response{http.StatusAccepted, provisionedBody(p, req.now, "")}, nil
}

// checkProvisioned applies the rules: one config per version, within reserved
// concurrency when the function has it, else above the unreserved floor.
func (s *Sandbox) checkProvisioned(t provisionedTarget, existing *provisionedConfig, requested int) *apiError {
	if existing != nil && existing.qualifier != t.qualifier {
		if isVersionNumber(t.qualifier) {
			return errConflict(msgAliasProvisioned)
		}
		return errConflict(msgVersionProvided)
	}
	previous := 0
	if existing != nil {
		previous = existing.requested
	}
	if t.f.reserved != nil {
		if t.f.provisionedTotal()-previous+requested > *t.f.reserved {
			return errInvalidParameter(msgAboveReserved)
		}
		return nil
	}
	floor := s.acct.unreservedFloor()
	if s.acct.unreserved()+previous-requested < floor {
		return errInvalidParameter(msgBelowFloor, floor)
	}
	return nil
}

// allocate records the config and starts its allocation. A changed config
// keeps what it had allocated (up to the new request) until it is READY again.
func (s *Sandbox) allocate(t provisionedTarget, existing *provisionedConfig, requested int, now time.Time) *provisionedConfig {
	carried := 0
	if existing != nil {
		carried = min(existing.statusAt(now).Allocated, requested)
	}
	p := &provisionedConfig{
		version: t.version, qualifier: t.qualifier, requested: requested, carried: carried,
		lastModified: now, readyAt: now.Add(s.allocationDelay()),
	}
	t.f.provisioned[t.version] = p
	return p
}

func provisionedBody(p *provisionedConfig, now time.Time, arn string) provisionedJSON {
	st := p.statusAt(now)
	return provisionedJSON{
		FunctionArn:                              arn,
		RequestedProvisionedConcurrentExecutions: p.requested,
		AvailableProvisionedConcurrentExecutions: st.Available,
		AllocatedProvisionedConcurrentExecutions: st.Allocated,
		Status:                                   st.Status,
		LastModified:                             lambdaTime(p.lastModified),
	}
}

// getOrListProvisionedConcurrency serves the two GETs on the same path:
// ListProvisionedConcurrencyConfigs carries List=ALL, Get a Qualifier.
func (s *Sandbox) getOrListProvisionedConcurrency(req request) (response, *apiError) {
	if req.URL.Query().Get("List") == "ALL" {
		return s.listProvisionedConcurrency(req)
	}
	t, err := s.findProvisionedTarget(req, msgAliasOrVersion)
	if err != nil {
		return response{}, err
	}
	p := t.f.provisionedByQualifier(t.qualifier)
	if p == nil {
		return response{}, errProvisionedConfigNotFound()
	}
	return ok(provisionedBody(p, req.now, ""))
}

// ListProvisionedConcurrencyConfigs: GET …/provisioned-concurrency?List=ALL,
// MaxItems 1–50.
func (s *Sandbox) listProvisionedConcurrency(req request) (response, *apiError) {
	page, err := readPageRequest(req, pageLimit)
	if err != nil {
		return response{}, err
	}
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	items := make([]provisionedJSON, 0, len(f.provisioned))
	for _, p := range f.sortedProvisioned() {
		items = append(items, provisionedBody(p, req.now, s.acct.qualifiedARN(f.name, p.qualifier)))
	}
	list, next, err := paginate(items, func(p provisionedJSON) string { return p.FunctionArn }, page)
	if err != nil {
		return response{}, err
	}
	return ok(listProvisionedJSON{ProvisionedConcurrencyConfigs: list, NextMarker: next})
}

// DeleteProvisionedConcurrencyConfig: DELETE …/provisioned-concurrency?Qualifier
// → 204; deleting a config that does not exist is not an error.
func (s *Sandbox) deleteProvisionedConcurrency(req request) (response, *apiError) {
	t, err := s.findProvisionedTarget(req, msgAliasOrVersion)
	if err != nil {
		return response{}, err
	}
	if p := t.f.provisionedByQualifier(t.qualifier); p != nil {
		delete(t.f.provisioned, p.version)
	}
	return response{status: http.StatusNoContent}, nil
}
