package sandbox

import "net/http"

// PutFunctionConcurrency: PUT /2017-10-31/functions/{name}/concurrency.
func (s *Sandbox) putFunctionConcurrency(req request) (response, *apiError) {
	var in struct{ ReservedConcurrentExecutions *int }
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	switch {
	case in.ReservedConcurrentExecutions == nil:
		return response{}, errValidation(missing("reservedConcurrentExecutions"))
	case *in.ReservedConcurrentExecutions < 0:
		return response{}, errValidation(tooLow(*in.ReservedConcurrentExecutions, "reservedConcurrentExecutions", 0))
	}
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	reserved := *in.ReservedConcurrentExecutions
	if err := s.checkReserved(f, reserved); err != nil {
		return response{}, err
	}
	f.reserved = &reserved
	return ok(concurrencyJSON{ReservedConcurrentExecutions: new(reserved)})
}

// checkReserved applies AWS's two rules for reserved concurrency: the account
// keeps its unreserved floor, and the function's provisioned concurrency fits
// inside what it reserves.
func (s *Sandbox) checkReserved(f *function, reserved int) *apiError {
	floor := s.acct.unreservedFloor()
	if s.acct.unreservedExcept(f.name)-reserved < floor {
		return errInvalidParameter("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", floor)
	}
	if total := f.provisionedTotal(); total > reserved {
		return errInvalidParameter(" ReservedConcurrentExecutions  %d should not be lower than function's total provisioned concurrency [%d].", reserved, total)
	}
	return nil
}

// GetFunctionConcurrency: GET /2019-09-30/functions/{name}/concurrency. The
// field is left out when no reserved concurrency is set.
func (s *Sandbox) getFunctionConcurrency(req request) (response, *apiError) {
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	return ok(concurrencyJSON{ReservedConcurrentExecutions: f.reserved})
}

// DeleteFunctionConcurrency: DELETE /2017-10-31/functions/{name}/concurrency.
func (s *Sandbox) deleteFunctionConcurrency(req request) (response, *apiError) {
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	f.reserved = nil
	return response{status: http.StatusNoContent}, nil
}

// GetAccountSettings: GET /2016-08-19/account-settings/.
func (s *Sandbox) getAccountSettings(req request) (response, *apiError) {
	var codeSize int64
	for _, f := range s.acct.functions {
		f.settle(req.now)
		codeSize += f.current().CodeSize
		for _, v := range f.publishedVersions() {
			codeSize += v.config.CodeSize
		}
	}
	return ok(accountSettingsJSON{
		AccountLimit: accountLimitJSON{
			TotalCodeSize:                  80530636800, // 75 GB
			CodeSizeUnzipped:               262144000,   // 250 MB
			CodeSizeZipped:                 52428800,    // 50 MB
			ConcurrentExecutions:           s.acct.concurrencyLimit,
			UnreservedConcurrentExecutions: s.acct.unreserved(),
		},
		AccountUsage: accountUsageJSON{TotalCodeSize: codeSize, FunctionCount: len(s.acct.functions)},
	})
}
