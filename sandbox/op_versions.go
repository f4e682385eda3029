package sandbox

import (
	"net/http"
	"strconv"
)

// PublishVersion: POST /2015-03-31/functions/{name}/versions → 201. The new
// version is an immutable snapshot of $LATEST; publishing an unchanged
// $LATEST again returns the latest version instead of a new one, as AWS does.
func (s *Sandbox) publishVersion(req request) (response, *apiError) {
	var in struct{ CodeSha256, Description, RevisionId *string }
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	if v := descriptionViolations(in.Description); len(v) > 0 {
		return response{}, errValidation(v...)
	}
	f, err := s.changeableLatest(req, in.RevisionId)
	if err != nil {
		return response{}, err
	}
	if in.CodeSha256 != nil && *in.CodeSha256 != f.applied.CodeSha256 {
		return response{}, errInvalidParameter("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", *in.CodeSha256, f.applied.CodeSha256)
	}
	v := s.publish(f, in.Description, req)
	return response{http.StatusCreated, s.versionView(f, v, strconv.Itoa(v.number)).fullJSON()}, nil
}

// changeableLatest finds the function a request changes $LATEST of: one with
// no update in progress (409 otherwise, as AWS answers) and, when the caller
// names a RevisionId, at that revision (412 otherwise).
func (s *Sandbox) changeableLatest(req request, revisionID *string) (*function, *apiError) {
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return nil, err
	}
	f.settle(req.now)
	if f.updating() {
		return nil, errUpdateInProgress(s.acct.functionARN(f.name))
	}
	if revisionID != nil && *revisionID != f.applied.RevisionID {
		return nil, errPreconditionFailed()
	}
	return f, nil
}

// publish snapshots $LATEST unless the newest version already holds its
// revision.
func (s *Sandbox) publish(f *function, description *string, req request) *publishedVersion {
	if n := len(f.versions); n > 0 && f.versions[n-1] != nil && f.versions[n-1].config.Revision == f.applied.Revision {
		return f.versions[n-1]
	}
	snapshot := f.applied
	snapshot.RevisionID = s.newUUID()
	snapshot.LastModified = req.now
	if description != nil {
		snapshot.Description = *description
	}
	v := &publishedVersion{number: len(f.versions) + 1, config: snapshot, description: snapshot.Description}
	f.versions = append(f.versions, v)
	return v
}

// ListVersionsByFunction: GET /2015-03-31/functions/{name}/versions.
func (s *Sandbox) listVersionsByFunction(req request) (response, *apiError) {
	page, err := readPageRequest(req, 10000)
	if err != nil {
		return response{}, err
	}
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	f.settle(req.now)
	views := s.allVersionViews(f)
	items := make([]functionConfigurationJSON, 0, len(views))
	for _, v := range views {
		items = append(items, v.listJSON())
	}
	list, next, err := paginate(items, func(c functionConfigurationJSON) string { return c.Version }, page)
	if err != nil {
		return response{}, err
	}
	return ok(listVersionsJSON{Versions: list, NextMarker: next})
}
