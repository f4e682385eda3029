package sandbox

import "regexp"

// Function URLs. The sandbox serves no function URL (its only HTTP front is
// the products API, the API Gateway stand-in), so no function has one and
// CreateFunctionUrlConfig is not offered: GetFunctionUrlConfig checks its
// input as AWS does and then answers what AWS answers for a function without
// a URL, in AWS's words (D) [S91], (M) [S89]. A tool that looks for a
// function's URL first (FindLoadTarget) thus moves on to the function's
// stack, as it would on AWS.

// functionURLQualifierPattern is the Qualifier pattern of the function URL
// operations: an alias name, never a version number or $LATEST.
const functionURLQualifierPattern = `((?!^\d+$)^[0-9a-zA-Z-_]+$)`

var aliasLikeRE = regexp.MustCompile(`^[0-9a-zA-Z-_]+$`)

// GetFunctionUrlConfig: GET /2021-10-31/functions/{name}/url?Qualifier=.
func (s *Sandbox) getFunctionURLConfig(req request) (response, *apiError) {
	qualifier := req.URL.Query().Get("Qualifier")
	if qualifier != "" && (!aliasLikeRE.MatchString(qualifier) || isVersionNumber(qualifier) || len(qualifier) > 128) {
		return response{}, errValidation(violation{quote(qualifier), "qualifier",
			"Member must satisfy regular expression pattern: " + functionURLQualifierPattern})
	}
	if _, err := parseFunctionName(req.PathValue("name"), qualifier); err != nil {
		return response{}, err
	}
	return response{}, errNoSuchResource()
}

// errNoSuchResource is Lambda's answer for a sub-resource (a function URL, a
// policy) that is not there, whether or not the function is.
func errNoSuchResource() *apiError {
	return errNotFound("The resource you requested does not exist.")
}
