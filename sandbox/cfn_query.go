package sandbox

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// CloudFormation's Query API: DescribeStacks, answered in XML as AWS does.
// (D) [S94], (M) [S95], (C) [S96] (docs/sources.md).

const cloudFormationNamespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// cloudFormationTime is how CloudFormation writes a time: 2026-11-26T07:00:00.000Z.
const cloudFormationTime = "2006-01-02T15:04:05.000Z"

// serveCloudFormation answers one CloudFormation request.
func (s *Sandbox) serveCloudFormation(w http.ResponseWriter, r *http.Request, params url.Values, tooLarge bool) {
	requestID := uuid.New()
	if tooLarge {
		writeQueryError(w, requestID, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request body must be smaller than 1048576 bytes.")
		return
	}
	if memoryOf(r.Context()).enterBuild(r.Context()) != nil {
		return // the client went away
	}
	switch action := params.Get("Action"); action {
	case "DescribeStacks":
		s.describeStacks(w, requestID, params.Get("StackName"))
	default:
		writeQueryError(w, requestID, http.StatusBadRequest, "InvalidAction",
			"The action or operation requested is invalid. Verify that the action is typed correctly.")
	}
}

// describeStacks answers DescribeStacks: the stack named (by name or id), or
// every stack, newest first. The sandbox's few stacks fit in one page, so it
// never answers a NextToken.
func (s *Sandbox) describeStacks(w http.ResponseWriter, requestID, nameOrID string) {
	stacks, found := s.describedStacks(nameOrID)
	if !found {
		writeQueryError(w, requestID, http.StatusBadRequest, "ValidationError", "Stack with id "+nameOrID+" does not exist")
		return
	}
	writeQueryOK(w, requestID, describeStacksXML{Xmlns: cloudFormationNamespace,
		Result: describeStacksResultXML{Stacks: stacks}, Metadata: responseMetadataXML{RequestID: requestID}})
}

// describedStacks is what DescribeStacks shows of the stacks nameOrID names.
func (s *Sandbox) describedStacks(nameOrID string) ([]stackXML, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list, found := s.stacksNamed(nameOrID)
	stacks := make([]stackXML, len(list))
	for i, st := range list {
		stacks[i] = st.xml(s.productsAPIURL)
	}
	return stacks, found
}

// stacksNamed is the stack nameOrID names, or every stack when it is empty.
func (s *Sandbox) stacksNamed(nameOrID string) ([]*stack, bool) {
	if nameOrID != "" {
		if st := s.acct.findStack(nameOrID); st != nil {
			return []*stack{st}, true
		}
		return nil, false
	}
	list := make([]*stack, 0, len(s.acct.stacks))
	for _, st := range s.acct.stacks {
		list = append(list, st)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].created.Equal(list[j].created) {
			return list[i].created.After(list[j].created)
		}
		return list[i].name < list[j].name
	})
	return list, true
}

type describeStacksXML struct {
	XMLName  xml.Name                `xml:"DescribeStacksResponse"`
	Xmlns    string                  `xml:"xmlns,attr"`
	Result   describeStacksResultXML `xml:"DescribeStacksResult"`
	Metadata responseMetadataXML     `xml:"ResponseMetadata"`
}

type describeStacksResultXML struct {
	Stacks []stackXML `xml:"Stacks>member"`
}

type responseMetadataXML struct {
	RequestID string `xml:"RequestId"`
}

// stackXML is the Stack shape, with the members AWS fills for a stack that
// sam deploy or serverless deploy created.
type stackXML struct {
	StackID                     string       `xml:"StackId"`
	StackName                   string       `xml:"StackName"`
	ChangeSetID                 string       `xml:"ChangeSetId,omitempty"`
	Description                 string       `xml:"Description,omitempty"`
	CreationTime                string       `xml:"CreationTime"`
	LastUpdatedTime             string       `xml:"LastUpdatedTime"`
	RollbackConfiguration       struct{}     `xml:"RollbackConfiguration"`
	StackStatus                 string       `xml:"StackStatus"`
	DisableRollback             bool         `xml:"DisableRollback"`
	NotificationARNs            struct{}     `xml:"NotificationARNs"`
	Capabilities                []string     `xml:"Capabilities>member"`
	Outputs                     []outputXML  `xml:"Outputs>member"`
	Tags                        struct{}     `xml:"Tags"`
	EnableTerminationProtection bool         `xml:"EnableTerminationProtection"`
	DriftInformation            driftInfoXML `xml:"DriftInformation"`
}

type outputXML struct {
	OutputKey   string `xml:"OutputKey"`
	OutputValue string `xml:"OutputValue"`
	Description string `xml:"Description,omitempty"`
	ExportName  string `xml:"ExportName,omitempty"`
}

type driftInfoXML struct {
	StackDriftStatus string `xml:"StackDriftStatus"`
}

// xml is the stack as DescribeStacks shows it; apiURL is the products
// front's URL, "" when it is not served (then ProductApiUrl is left out).
func (st *stack) xml(apiURL string) stackXML {
	out := stackXML{
		StackID: st.id, StackName: st.name, ChangeSetID: st.changeSetID, Description: st.description,
		CreationTime: st.created.UTC().Format(cloudFormationTime), LastUpdatedTime: st.updated.UTC().Format(cloudFormationTime),
		StackStatus: "CREATE_COMPLETE", Capabilities: st.capabilities, DriftInformation: driftInfoXML{"NOT_CHECKED"},
	}
	if st.updated.Sub(st.created) > 24*time.Hour {
		out.StackStatus = "UPDATE_COMPLETE" // deployed again since
	}
	for _, o := range st.outputs {
		value := o.value
		if o.productsAPI {
			value = apiURL
		}
		if value != "" {
			out.Outputs = append(out.Outputs, outputXML{o.key, value, o.description, o.exportName})
		}
	}
	return out
}

type queryErrorXML struct {
	XMLName   xml.Name       `xml:"ErrorResponse"`
	Xmlns     string         `xml:"xmlns,attr"`
	Error     queryErrorBody `xml:"Error"`
	RequestID string         `xml:"RequestId"`
}

type queryErrorBody struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func writeQueryError(w http.ResponseWriter, requestID string, status int, code, message string) {
	writeQueryXML(w, requestID, status, queryErrorXML{Xmlns: cloudFormationNamespace,
		Error: queryErrorBody{"Sender", code, message}, RequestID: requestID})
}

func writeQueryOK(w http.ResponseWriter, requestID string, v any) {
	writeQueryXML(w, requestID, http.StatusOK, v)
}

func writeQueryXML(w http.ResponseWriter, requestID string, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil { // fixed shapes of strings and booleans: a bug, answered as AWS answers its own faults
		status, body = http.StatusInternalServerError, []byte("<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code></Error></ErrorResponse>")
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-RequestId", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(append([]byte(xml.Header), body...))
}
