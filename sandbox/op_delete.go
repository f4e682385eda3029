package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// DeleteFunction: DELETE /2015-03-31/functions/{name}?Qualifier= → 204.
// Without a qualifier the whole function goes: its versions, aliases,
// reserved and provisioned concurrency and tags. With a version number only
// that version goes, and its provisioned concurrency; a version an alias
// points at cannot be deleted, and deleting a version that does not exist
// succeeds. Aliases and $LATEST cannot be deleted this way. (D) [S92], (M)
// [S89], [S93] (docs/sources.md).
//
// Invocations already running finish (their environments die as they end);
// every later one is answered ResourceNotFoundException. The function's
// metrics stay readable in CloudWatch, as AWS keeps them.
func (s *Sandbox) deleteFunction(req request) (response, *apiError) {
	ref, err := parseFunctionName(req.PathValue("name"), req.URL.Query().Get("Qualifier"))
	if err != nil {
		return response{}, err
	}
	switch q := ref.qualifier; {
	case q == latestVersion:
		return response{}, errInvalidParameter("$LATEST version cannot be deleted without deleting the function.")
	case q != "" && !isVersionNumber(q):
		return response{}, errInvalidParameter("Deletion of aliases is not currently supported.")
	}
	f, err := s.acct.lookup(ref)
	if err != nil {
		return response{}, err
	}
	if ref.qualifier != "" {
		return s.deleteVersion(f, versionNumber(ref.qualifier))
	}
	s.removeFunction(f)
	return response{status: http.StatusNoContent}, nil
}

// removeFunction takes f out of the account and releases what it held: its
// concurrency claims (so the unreserved pool grows back) and its
// environments. Its in-flight counts stay with it, so the invocations still
// running count themselves out when they end.
func (s *Sandbox) removeFunction(f *function) {
	delete(s.acct.functions, f.name)
	f.reserved = nil
	clear(f.provisioned)
	clear(f.aliases)
	f.tags = nil
	if f.exec == nil {
		return
	}
	for version, p := range f.exec.pools {
		p.retire()
		delete(f.exec.pools, version)
	}
}

// deleteVersion deletes published version n of f, unless an alias points at it.
func (s *Sandbox) deleteVersion(f *function, n int) (response, *apiError) {
	v := f.version(n)
	if v == nil {
		return response{status: http.StatusNoContent}, nil // AWS: deleting a version that is not there succeeds
	}
	if names := aliasesOn(f, strconv.Itoa(n)); len(names) > 0 {
		return response{}, errConflict("Unable to delete version because the following aliases reference it: [%s]", strings.Join(names, ", "))
	}
	f.versions[n-1] = nil
	delete(f.provisioned, n)
	if f.exec != nil {
		if p := f.exec.pools[strconv.Itoa(n)]; p != nil {
			p.retire()
			delete(f.exec.pools, p.version)
		}
	}
	return response{status: http.StatusNoContent}, nil
}

// aliasesOn names the aliases that point at version, sorted.
func aliasesOn(f *function, version string) []string {
	var names []string
	for _, a := range f.sortedAliases() {
		if a.version == version {
			names = append(names, a.name)
		}
	}
	return names
}
