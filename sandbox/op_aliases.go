package sandbox

import (
	"encoding/json"
	"net/http"
	"regexp"
)

var functionVersionRE = regexp.MustCompile(`^(\$LATEST|[0-9]+)$`)

type aliasInput struct {
	Name            *string
	FunctionVersion *string
	Description     *string
	RevisionId      *string
	RoutingConfig   json.RawMessage
}

func (s *Sandbox) aliasJSON(f *function, a *alias) aliasJSON {
	return aliasJSON{
		AliasArn: s.acct.qualifiedARN(f.name, a.name), Name: a.name,
		FunctionVersion: a.version, Description: a.description, RevisionId: a.revisionID,
	}
}

// CreateAlias: POST /2015-03-31/functions/{name}/aliases → 201.
func (s *Sandbox) createAlias(req request) (response, *apiError) {
	var in aliasInput
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	if err := in.validate(true); err != nil {
		return response{}, err
	}
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	if err := s.checkVersionExists(f, *in.FunctionVersion); err != nil {
		return response{}, err
	}
	if f.aliases[*in.Name] != nil {
		return response{}, errConflict("Alias already exists: %s", s.acct.qualifiedARN(f.name, *in.Name))
	}
	a := &alias{name: *in.Name, version: *in.FunctionVersion, revisionID: s.newUUID()}
	setString(&a.description, in.Description)
	f.aliases[a.name] = a
	return response{http.StatusCreated, s.aliasJSON(f, a)}, nil
}

func (in aliasInput) validate(creating bool) *apiError {
	if len(in.RoutingConfig) > 0 && string(in.RoutingConfig) != "null" && string(in.RoutingConfig) != "{}" {
		return errInvalidParameter("The lambdatune sandbox does not model weighted aliases (RoutingConfig); point the alias at one version.")
	}
	var v []violation
	if creating && in.Name == nil {
		v = append(v, missing("name"))
	}
	if in.Name != nil && (!aliasNameRE.MatchString(*in.Name) || isVersionNumber(*in.Name) || len(*in.Name) > 128) {
		v = append(v, violation{quote(*in.Name), "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"})
	}
	if creating && in.FunctionVersion == nil {
		v = append(v, missing("functionVersion"))
	}
	if in.FunctionVersion != nil && !functionVersionRE.MatchString(*in.FunctionVersion) {
		v = append(v, violation{quote(*in.FunctionVersion), "functionVersion", `Member must satisfy regular expression pattern: (\$LATEST|[0-9]+)`})
	}
	v = append(v, descriptionViolations(in.Description)...)
	if len(v) > 0 {
		return errValidation(v...)
	}
	return nil
}

func (s *Sandbox) checkVersionExists(f *function, version string) *apiError {
	if version != latestVersion && f.version(versionNumber(version)) == nil {
		return errFunctionNotFound(s.acct.qualifiedARN(f.name, version))
	}
	return nil
}

// findAlias resolves the path's function and alias names.
func (s *Sandbox) findAlias(req request) (*function, *alias, *apiError) {
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return nil, nil, err
	}
	name := req.PathValue("alias")
	a := f.aliases[name]
	if a == nil {
		return nil, nil, errAliasNotFound(s.acct.qualifiedARN(f.name, name))
	}
	return f, a, nil
}

// GetAlias: GET /2015-03-31/functions/{name}/aliases/{alias}.
func (s *Sandbox) getAlias(req request) (response, *apiError) {
	f, a, err := s.findAlias(req)
	if err != nil {
		return response{}, err
	}
	return ok(s.aliasJSON(f, a))
}

// UpdateAlias: PUT /2015-03-31/functions/{name}/aliases/{alias}. Moving the
// alias to another version moves its provisioned concurrency with it: the old
// version's environments are released and the new version's allocated anew
// (D) [S33].
func (s *Sandbox) updateAlias(req request) (response, *apiError) {
	var in aliasInput
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	in.Name = nil // the path names the alias
	if err := in.validate(false); err != nil {
		return response{}, err
	}
	f, a, err := s.findAlias(req)
	if err != nil {
		return response{}, err
	}
	if in.RevisionId != nil && *in.RevisionId != a.revisionID {
		return response{}, errPreconditionFailed()
	}
	if in.FunctionVersion != nil && *in.FunctionVersion != a.version {
		if err := s.retarget(f, a, *in.FunctionVersion, req); err != nil {
			return response{}, err
		}
	}
	setString(&a.description, in.Description)
	a.revisionID = s.newUUID()
	return ok(s.aliasJSON(f, a))
}

// retarget points a at version, carrying its provisioned config along.
func (s *Sandbox) retarget(f *function, a *alias, version string, req request) *apiError {
	if err := s.checkVersionExists(f, version); err != nil {
		return err
	}
	if p := f.provisionedByQualifier(a.name); p != nil {
		if version == latestVersion {
			return errInvalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
		}
		n := versionNumber(version)
		if f.provisioned[n] != nil {
			return errConflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")
		}
		delete(f.provisioned, p.version)
		p.version, p.carried = n, 0
		p.lastModified, p.readyAt = req.now, req.now.Add(s.allocationDelay())
		f.provisioned[n] = p
	}
	a.version = version
	return nil
}

// DeleteAlias: DELETE /2015-03-31/functions/{name}/aliases/{alias} → 204. The
// alias's provisioned concurrency goes with it.
func (s *Sandbox) deleteAlias(req request) (response, *apiError) {
	f, a, err := s.findAlias(req)
	if err != nil {
		return response{}, err
	}
	if p := f.provisionedByQualifier(a.name); p != nil {
		delete(f.provisioned, p.version)
	}
	delete(f.aliases, a.name)
	return response{status: http.StatusNoContent}, nil
}

// ListAliases: GET /2015-03-31/functions/{name}/aliases?FunctionVersion.
func (s *Sandbox) listAliases(req request) (response, *apiError) {
	page, err := readPageRequest(req, 10000)
	if err != nil {
		return response{}, err
	}
	f, err := s.acct.lookupUnqualified(req.PathValue("name"))
	if err != nil {
		return response{}, err
	}
	version := req.URL.Query().Get("FunctionVersion")
	items := make([]aliasJSON, 0, len(f.aliases))
	for _, a := range f.sortedAliases() {
		if version == "" || a.version == version {
			items = append(items, s.aliasJSON(f, a))
		}
	}
	list, next, err := paginate(items, func(a aliasJSON) string { return a.Name }, page)
	if err != nil {
		return response{}, err
	}
	return ok(listAliasesJSON{Aliases: list, NextMarker: next})
}
