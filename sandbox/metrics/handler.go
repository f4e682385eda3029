package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/internal/uuid"
)

const (
	serviceName = "GraniteServiceVersion20100801"
	cborPrefix  = "/service/" + serviceName + "/operation/"
	apiVersion  = "2010-08-01"
	// maxBodyBytes bounds a request body: 500 queries with 30 dimensions each
	// stay well below it.
	maxBodyBytes = 4 << 20
)

// protocol is one of the three wire protocols CloudWatch clients send.
type protocol uint8

const (
	protoCBOR  protocol = iota // Smithy RPC v2 CBOR (aws-sdk-go-v2)
	protoJSON                  // AWS JSON 1.0 (botocore, aws-cli 1.x)
	protoQuery                 // AWS Query (aws-cli 2.9 and older SDKs)
)

// IsCloudWatchRequest reports whether r is addressed to CloudWatch rather than
// to the Lambda REST API: an RPC v2 CBOR path, a JSON 1.0 X-Amz-Target naming
// CloudWatch, or an AWS Query request (a form POST, or a GET with Action=) to
// "/". Lambda's API lives under versioned paths (/2015-03-31/…), so none of
// these collide with it.
func IsCloudWatchRequest(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, cborPrefix) {
		return r.Method == http.MethodPost
	}
	if r.URL.Path != "/" && r.URL.Path != "" {
		return false
	}
	switch r.Method {
	case http.MethodPost:
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), serviceName+".") {
			return true
		}
		return strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
	case http.MethodGet:
		return r.URL.Query().Get("Action") != ""
	}
	return false
}

// handler serves CloudWatch GetMetricData, GetMetricStatistics and
// ListMetrics from a Store.
type handler struct {
	store *Store
	clock clock.Clock
}

// NewHandler returns the CloudWatch endpoint for store. clk gives "now" for
// publication delay and retention; nil means the store's clock.
func NewHandler(store *Store, clk clock.Clock) http.Handler {
	if clk == nil {
		clk = store.Clock()
	}
	return &handler{store: store, clock: clk}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	proto := protocolOf(r)
	requestID := uuid.New()
	defer func() {
		// A bug must cost one request a 500, never the sandbox process.
		if p := recover(); p != nil {
			writeError(w, proto, requestID, &apiError{Status: http.StatusInternalServerError,
				Namespace: cloudWatchShapeNamespace, Shape: "InternalServiceFault", QueryCode: "InternalServiceError",
				Server: true, Message: "Request processing has failed due to an internal error in the sandbox."})
		}
	}()
	op, tree, aerr := readRequest(r, proto)
	if aerr == nil {
		var body []byte
		body, aerr = h.dispatch(op, tree, proto, requestID)
		if aerr == nil {
			writeOK(w, proto, requestID, body)
			return
		}
	}
	writeError(w, proto, requestID, aerr)
}

func protocolOf(r *http.Request) protocol {
	switch {
	case strings.HasPrefix(r.URL.Path, cborPrefix):
		return protoCBOR
	case r.Header.Get("X-Amz-Target") != "":
		return protoJSON
	default:
		return protoQuery
	}
}

// dispatch runs operation op on the decoded request tree.
func (h *handler) dispatch(op string, tree map[string]any, proto protocol, requestID string) ([]byte, *apiError) {
	rd := &reader{textual: proto == protoQuery}
	now := h.clock.Now()
	switch op {
	case "GetMetricData":
		return serve(rd, rd.readGetMetricData(tree), func(req getMetricDataRequest) (getMetricDataResponse, *apiError) {
			return h.store.getMetricData(req, now)
		}, func(resp getMetricDataResponse) []byte { return encodeGetMetricData(proto, resp, requestID) })
	case "GetMetricStatistics":
		return serve(rd, rd.readGetMetricStatistics(tree), func(req getMetricStatisticsRequest) (getMetricStatisticsResponse, *apiError) {
			return h.store.getMetricStatistics(req, now)
		}, func(resp getMetricStatisticsResponse) []byte {
			return encodeGetMetricStatistics(proto, resp, requestID)
		})
	case "ListMetrics":
		return serve(rd, rd.readListMetrics(tree), func(req listMetricsRequest) (listMetricsResponse, *apiError) {
			return h.store.listMetrics(req, now)
		}, func(resp listMetricsResponse) []byte { return encodeListMetrics(proto, resp, requestID) })
	}
	return nil, errUnknownOperation(op)
}

// serve runs one operation on its decoded request and encodes the answer,
// unless reading the request failed.
func serve[Req, Resp any](rd *reader, req Req, run func(Req) (Resp, *apiError), encode func(Resp) []byte) ([]byte, *apiError) {
	if rd.err != nil {
		return nil, rd.err
	}
	resp, err := run(req)
	if err != nil {
		return nil, err
	}
	return encode(resp), nil
}

func encodeGetMetricData(proto protocol, resp getMetricDataResponse, requestID string) []byte {
	switch proto {
	case protoCBOR:
		return cborGetMetricData(resp)
	case protoJSON:
		return jsonGetMetricData(resp)
	}
	return xmlGetMetricData(resp, requestID)
}

func encodeListMetrics(proto protocol, resp listMetricsResponse, requestID string) []byte {
	switch proto {
	case protoCBOR:
		return cborListMetrics(resp)
	case protoJSON:
		return jsonListMetrics(resp)
	}
	return xmlListMetrics(resp, requestID)
}

// readRequest finds the operation and decodes the body into a tree.
func readRequest(r *http.Request, proto protocol) (string, map[string]any, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, errBodyTooLarge(operationOf(r, proto))
		}
		return "", nil, errSerialization("Cannot read the request body: the connection ended before the body did.")
	}
	switch proto {
	case protoCBOR:
		tree, aerr := decodeCBORBody(body)
		return strings.TrimPrefix(r.URL.Path, cborPrefix), tree, aerr
	case protoJSON:
		target := r.Header.Get("X-Amz-Target")
		op, ok := strings.CutPrefix(target, serviceName+".")
		if !ok {
			return "", nil, errUnknownOperation(target)
		}
		tree, aerr := decodeJSONBody(body)
		return op, tree, aerr
	}
	return readQueryRequest(r, body)
}

func readQueryRequest(r *http.Request, body []byte) (string, map[string]any, *apiError) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", nil, errMalformedQuery("The request body is not a valid form: %v.", err)
	}
	for k, vs := range r.URL.Query() {
		form[k] = append(form[k], vs...)
	}
	op := form.Get("Action")
	if op == "" {
		return "", nil, clientError("MissingAction", "MissingAction", "The request must contain the parameter Action.")
	}
	if v := form.Get("Version"); v != "" && v != apiVersion {
		return "", nil, errInvalidValue("The API version %s is not supported: CloudWatch's API version is %s.", v, apiVersion)
	}
	tree, aerr := decodeQueryForm(form)
	return op, tree, aerr
}

func writeOK(w http.ResponseWriter, proto protocol, requestID string, body []byte) {
	setHeaders(w, proto, requestID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, proto protocol, requestID string, e *apiError) {
	setHeaders(w, proto, requestID)
	var body []byte
	switch proto {
	case protoCBOR:
		body = cborError(e)
	case protoJSON:
		body = jsonError(e)
	default:
		body = xmlError(e, requestID)
	}
	if proto != protoQuery {
		w.Header().Set("X-Amzn-Query-Error", e.QueryCode+";"+e.fault())
	}
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func setHeaders(w http.ResponseWriter, proto protocol, requestID string) {
	h := w.Header()
	h.Set("X-Amzn-Requestid", requestID)
	switch proto {
	case protoCBOR:
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
	case protoJSON:
		h.Set("Content-Type", "application/x-amz-json-1.0")
	default:
		h.Set("Content-Type", "text/xml")
	}
}
