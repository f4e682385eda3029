package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
)

// proxyEvent is the event API Gateway's REST API sends a function through a
// Lambda proxy integration (payload format 1.0). Absent maps are JSON null,
// as API Gateway sends them.
//
// Twin of load's proxyEvent (load/proxyevent.go), which the load engine sends
// with Invoke: it carries a subset of these members, describing a request
// alike. TestProxyEventTwinOfTheLoadEngine holds the two equal.
type proxyEvent struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  proxyRequestContext `json:"requestContext"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

// proxyRequestContext is the event's requestContext.
type proxyRequestContext struct {
	AccountID         string        `json:"accountId"`
	APIID             string        `json:"apiId"`
	DomainName        string        `json:"domainName"`
	DomainPrefix      string        `json:"domainPrefix"`
	ExtendedRequestID string        `json:"extendedRequestId"`
	HTTPMethod        string        `json:"httpMethod"`
	Identity          proxyIdentity `json:"identity"`
	Path              string        `json:"path"`
	Protocol          string        `json:"protocol"`
	RequestID         string        `json:"requestId"`
	RequestTime       string        `json:"requestTime"`
	RequestTimeEpoch  int64         `json:"requestTimeEpoch"`
	ResourceID        string        `json:"resourceId"`
	ResourcePath      string        `json:"resourcePath"`
	Stage             string        `json:"stage"`
}

// proxyIdentity is requestContext.identity of an unauthenticated caller: the
// IAM and Cognito members are null.
type proxyIdentity struct {
	AccessKey                     *string `json:"accessKey"`
	AccountID                     *string `json:"accountId"`
	Caller                        *string `json:"caller"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	SourceIP                      string  `json:"sourceIp"`
	User                          *string `json:"user"`
	UserAgent                     string  `json:"userAgent"`
	UserARN                       *string `json:"userArn"`
}

// proxyResponse is what a function behind a proxy integration returns.
type proxyResponse struct {
	StatusCode        int                 `json:"statusCode"`
	Headers           map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders,omitempty"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

// errMalformedProxyResponse is API Gateway's reason for a 502 when a
// function's answer is not a proxy response.
var errMalformedProxyResponse = errors.New("malformed Lambda proxy response")

// parseProxyResponse checks a function's answer the way API Gateway does: a
// JSON object with only the proxy response's members, an integer statusCode
// from 100 to 599, and a string body.
func parseProxyResponse(payload []byte) (*proxyResponse, error) {
	var raw struct {
		StatusCode        *int                `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              *string             `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if jsonKind(payload) != "object" || dec.Decode(&raw) != nil || dec.More() {
		return nil, errMalformedProxyResponse
	}
	if raw.StatusCode == nil || *raw.StatusCode < 100 || *raw.StatusCode > 599 {
		return nil, errMalformedProxyResponse
	}
	resp := &proxyResponse{StatusCode: *raw.StatusCode, Headers: raw.Headers, MultiValueHeaders: raw.MultiValueHeaders, IsBase64Encoded: raw.IsBase64Encoded}
	if raw.Body != nil {
		resp.Body = *raw.Body
	}
	return resp, nil
}
