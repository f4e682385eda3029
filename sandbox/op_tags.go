package sandbox

import (
	"maps"
	"net/http"
	"regexp"
	"strings"
)

// Tags: ListTags, TagResource and UntagResource on a function, by its ARN.
// (D) [S86], [S87], [S88]; AWS's texts (M) [S89], [S90] (docs/sources.md;
// docs/sandbox.md, "Tags and stacks").
// CloudFormation's aws:cloudformation:* tags are set at seeding; no caller
// can set, change or remove a tag whose key starts with aws:, whatever its
// case, and those tags do not count toward the 50 a function may carry.

// taggableResourcePattern is the Resource pattern AWS quotes when it refuses
// an ARN.
const taggableResourcePattern = `arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`

var taggableResourceRE = regexp.MustCompile(`^` + taggableResourcePattern + `$`)

// Tag limits: 50 user tags per function, keys of 1–128 characters, values
// of at most 256.
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// reservedTagPrefix starts the keys AWS keeps for itself.
const reservedTagPrefix = "aws:"

// ListTags: GET /2017-03-31/tags/{ARN}.
func (s *Sandbox) listTags(req request) (response, *apiError) {
	f, err := s.taggedFunction(req)
	if err != nil {
		return response{}, err
	}
	return ok(struct{ Tags map[string]string }{Tags: maps.Clone(nonNilTags(f.tags))})
}

// TagResource: POST /2017-03-31/tags/{ARN} {"Tags": {…}} → 204.
func (s *Sandbox) tagResource(req request) (response, *apiError) {
	var in struct{ Tags map[string]string }
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	f, err := s.taggedFunction(req)
	if err != nil {
		return response{}, err
	}
	if len(in.Tags) == 0 {
		return response{}, errInvalidParameter("An error occurred and the request cannot be processed.")
	}
	if err := checkNewTags(f.tags, in.Tags); err != nil {
		return response{}, err
	}
	if f.tags == nil {
		f.tags = map[string]string{}
	}
	maps.Copy(f.tags, in.Tags)
	return response{status: http.StatusNoContent}, nil
}

// UntagResource: DELETE /2017-03-31/tags/{ARN}?tagKeys=a&tagKeys=b → 204;
// keys the function does not carry are ignored.
func (s *Sandbox) untagResource(req request) (response, *apiError) {
	keys := req.URL.Query()["tagKeys"]
	if len(keys) == 0 {
		return response{}, errValidation(missing("tagKeys"))
	}
	f, err := s.taggedFunction(req)
	if err != nil {
		return response{}, err
	}
	for _, k := range keys {
		if k == "" || isReservedTag(k) {
			return response{}, errReservedTag()
		}
	}
	for _, k := range keys {
		delete(f.tags, k)
	}
	return response{status: http.StatusNoContent}, nil
}

// taggedFunction finds the function the path's ARN names. Only an
// unqualified function ARN can carry tags; the other kinds of taggable
// resource exist nowhere in the sandbox.
func (s *Sandbox) taggedFunction(req request) (*function, *apiError) {
	arn := req.PathValue("arn")
	if !taggableResourceRE.MatchString(arn) {
		return nil, errValidation(violation{quote(arn), "resource", "Member must satisfy regular expression pattern: " + taggableResourcePattern})
	}
	kind, _, _ := strings.Cut(strings.SplitN(arn, ":", 6)[5], ":")
	if kind != "function" {
		return nil, errTaggableNotFound(kind, arn)
	}
	ref, err := parseFunctionName(arn, "")
	if err != nil { // a partition or region form no function name takes: no such function here
		return nil, errFunctionNotFound(arn)
	}
	if ref.qualifier != "" {
		return nil, errInvalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.")
	}
	return s.acct.lookup(ref)
}

// checkNewTags refuses reserved or empty keys, keys and values over their
// lengths, and more than maxTags user tags once the new ones are added.
func checkNewTags(current, add map[string]string) *apiError {
	for k, v := range add {
		switch {
		case k == "" || isReservedTag(k):
			return errReservedTag()
		case len(k) > maxTagKeyLen:
			return errValidation(violation{"", "tags", "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]"})
		case len(v) > maxTagValueLen:
			return errValidation(violation{"", "tags", "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]"})
		}
	}
	if userTags(current, add) > maxTags {
		return errInvalidParameter("Number of tags exceeds resource tag limit.")
	}
	return nil
}

// userTags counts the tags a function would carry, reserved ones left out.
func userTags(current, add map[string]string) int {
	n := len(add)
	for k := range current {
		if _, replaced := add[k]; !replaced && !isReservedTag(k) {
			n++
		}
	}
	return n
}

func isReservedTag(key string) bool {
	return len(key) >= len(reservedTagPrefix) && strings.EqualFold(key[:len(reservedTagPrefix)], reservedTagPrefix)
}

func errReservedTag() *apiError {
	return errInvalidParameter(`One or more of your tags had a problem, please ensure none of your tag names start with "aws:", none are empty, and there are no duplicate tags`)
}

// errTaggableNotFound answers a well-formed ARN of a resource kind the
// sandbox never holds.
func errTaggableNotFound(kind, arn string) *apiError {
	switch kind {
	case "event-source-mapping":
		return errNotFound("Event source mapping not found: %s", arn)
	case "capacity-provider":
		return errNotFound("Capacity provider not found: %s", arn)
	}
	return errNoSuchResource()
}

func nonNilTags(tags map[string]string) map[string]string {
	if tags == nil {
		return map[string]string{}
	}
	return tags
}
