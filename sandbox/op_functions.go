package sandbox

import (
	"maps"
	"strconv"
)

// ListFunctions: GET /2015-03-31/functions/?Marker&MaxItems&FunctionVersion=ALL.
// It returns the subset of FunctionConfiguration AWS lists: no State or
// LastUpdateStatus.
func (s *Sandbox) listFunctions(req request) (response, *apiError) {
	page, err := readPageRequest(req, 10000)
	if err != nil {
		return response{}, err
	}
	all := false
	switch v := req.URL.Query().Get("FunctionVersion"); v {
	case "":
	case "ALL":
		all = true
	default:
		return response{}, errValidation(violation{quote(v), "functionVersion", "Member must satisfy enum value set: [ALL]"})
	}
	items := s.listedConfigurations(req, all)
	list, next, err := paginate(items, func(c functionConfigurationJSON) string { return c.FunctionArn }, page)
	if err != nil {
		return response{}, err
	}
	return ok(listFunctionsJSON{Functions: list, NextMarker: next})
}

func (s *Sandbox) listedConfigurations(req request, allVersions bool) []functionConfigurationJSON {
	items := make([]functionConfigurationJSON, 0, len(s.acct.functions))
	for _, name := range s.acct.sortedNames() {
		f := s.acct.functions[name]
		f.settle(req.now)
		if !allVersions {
			items = append(items, s.latestView(f, "").listJSON())
			continue
		}
		for _, v := range s.allVersionViews(f) {
			items = append(items, v.listJSON())
		}
	}
	return items
}

// latestView is $LATEST as the API shows it, with the ARN qualified by
// qualifier ("" or "$LATEST").
func (s *Sandbox) latestView(f *function, qualifier string) configView {
	return configView{
		name: f.name, arn: s.acct.qualifiedARN(f.name, qualifier), version: latestVersion,
		config: f.current(), updating: f.updating(),
	}
}

func (s *Sandbox) versionView(f *function, v *publishedVersion, qualifier string) configView {
	return configView{
		name: f.name, arn: s.acct.qualifiedARN(f.name, qualifier),
		version: strconv.Itoa(v.number), config: v.config,
	}
}

// allVersionViews is $LATEST then every published version, qualified ARNs.
func (s *Sandbox) allVersionViews(f *function) []configView {
	views := []configView{s.latestView(f, latestVersion)}
	for _, v := range f.publishedVersions() {
		views = append(views, s.versionView(f, v, strconv.Itoa(v.number)))
	}
	return views
}

// resolveView finds the version a qualifier names: none or $LATEST, a
// version number, or an alias (shown with the alias's ARN and its version).
func (s *Sandbox) resolveView(f *function, qualifier string) (configView, *apiError) {
	switch {
	case qualifier == "" || qualifier == latestVersion:
		return s.latestView(f, qualifier), nil
	case isVersionNumber(qualifier):
		v := f.version(versionNumber(qualifier))
		if v == nil {
			return configView{}, errFunctionNotFound(s.acct.qualifiedARN(f.name, qualifier))
		}
		return s.versionView(f, v, qualifier), nil
	}
	a := f.aliases[qualifier]
	if a == nil {
		return configView{}, errFunctionNotFound(s.acct.qualifiedARN(f.name, qualifier))
	}
	view, err := s.resolveView(f, a.version)
	view.arn = s.acct.qualifiedARN(f.name, qualifier)
	return view, err
}

// findView parses the path's function name and the Qualifier parameter and
// resolves them.
func (s *Sandbox) findView(req request) (*function, configView, *apiError) {
	ref, err := parseFunctionName(req.PathValue("name"), req.URL.Query().Get("Qualifier"))
	if err != nil {
		return nil, configView{}, err
	}
	f, err := s.acct.lookup(ref)
	if err != nil {
		return nil, configView{}, err
	}
	f.settle(req.now)
	view, err := s.resolveView(f, ref.qualifier)
	return f, view, err
}

// GetFunction: GET /2015-03-31/functions/{name}?Qualifier.
func (s *Sandbox) getFunctionOp(req request) (response, *apiError) {
	f, view, err := s.findView(req)
	if err != nil {
		return response{}, err
	}
	out := getFunctionJSON{
		Configuration: view.fullJSON(),
		Code: codeLocationJSON{RepositoryType: "S3", Location: "https://awslambda-" + s.acct.region +
			"-tasks.s3." + s.acct.region + ".amazonaws.com/snapshots/" + s.acct.id + "/" + f.name +
			"-" + view.config.RevisionID},
	}
	if f.reserved != nil {
		out.Concurrency = &concurrencyJSON{ReservedConcurrentExecutions: new(*f.reserved)}
	}
	if len(f.tags) > 0 {
		out.Tags = maps.Clone(f.tags)
	}
	return ok(out)
}

// GetFunctionConfiguration: GET /2015-03-31/functions/{name}/configuration?Qualifier.
func (s *Sandbox) getFunctionConfiguration(req request) (response, *apiError) {
	_, view, err := s.findView(req)
	if err != nil {
		return response{}, err
	}
	return ok(view.fullJSON())
}
