package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// productsHandler is the lab's function: app.lambda_handler of a Python
// products API behind an API Gateway proxy integration, over the products
// table. Its routes are the API's resources:
//
//	POST   /products       create; the body is a JSON object with a "name"
//	                       (non-empty string) and optionally a "price"
//	                       (number ≥ 0); answers 201 with the item and its id
//	GET    /products       list one page: {"products":[…],"count":n} and
//	                       "nextToken" when more remain (?limit=1..100,
//	                       ?nextToken=)
//	GET    /products/{id}  200 with the item, 404 when there is none
//	DELETE /products/{id}  204, 404 when there is none
//
// Malformed input answers 400 with {"message": …}.
type productsHandler struct {
	table *productTable
}

// Modelled work per operation (docs/sandbox-model.md#how-the-products-api-was-calibrated):
// CPU in vCPU time at one vCPU, the
// DynamoDB call's service time, +1 ms in-Region network. (I)
var (
	getItemCPU    = 4500 * time.Microsecond
	putItemCPU    = 5 * time.Millisecond
	deleteItemCPU = 4500 * time.Microsecond
	badRequestCPU = 2 * time.Millisecond
	getItemDDB    = logNormal{4 * time.Millisecond, 0.35}
	putItemDDB    = logNormal{4500 * time.Microsecond, 0.35}
	deleteItemDDB = logNormal{4 * time.Millisecond, 0.35}
	// A Scan costs 6 vCPU-ms + 0.05 per item returned (boto3 parses every
	// item, CPU-bound [S76]) and 5 ms + 0.04 ms per item read: 11 vCPU-ms and
	// 9 ms for a full page of 100, the calibration's small-table Scan. (I)
	scanCPUBase    = 6 * time.Millisecond
	scanCPUPerItem = 50 * time.Microsecond
	scanDDBBase    = 5 * time.Millisecond
	scanDDBPerItem = 40 * time.Microsecond
	scanDDBSigma   = 0.4
)

// jsonHeaders are the headers of every answer; shared, never modified.
var jsonHeaders = map[string]string{"Content-Type": "application/json"}

func (h *productsHandler) handle(in *handlerInput) handlerOutput {
	ev, ferr := h.event(in)
	if ferr != nil {
		return handlerOutput{err: ferr, work: work{cpu: badRequestCPU}}
	}
	var out handlerOutput
	switch {
	case ev.Resource == "/products" && ev.HTTPMethod == http.MethodPost:
		out = h.create(ev, in.ctx)
	case ev.Resource == "/products" && ev.HTTPMethod == http.MethodGet:
		out = h.list(ev)
	case ev.Resource == "/products/{id}" && ev.HTTPMethod == http.MethodGet:
		out = h.get(ev.PathParameters["id"])
	case ev.Resource == "/products/{id}" && ev.HTTPMethod == http.MethodDelete:
		out = h.remove(ev.PathParameters["id"])
	default:
		out = badRequest("Unsupported route: " + ev.HTTPMethod + " " + ev.Resource)
	}
	if in.wantLogs {
		out.logs = []string{powertoolsLine(in.ctx, ev.HTTPMethod+" "+ev.Resource+" "+strconv.Itoa(out.proxy.StatusCode))}
	}
	return out
}

// event is the proxy event, decoding the payload of a direct Invoke. Code
// reading event["httpMethod"] raises KeyError on anything else, as the lab's
// Python would.
func (h *productsHandler) event(in *handlerInput) (*proxyEvent, *functionError) {
	if in.proxy != nil {
		return in.proxy, nil
	}
	kind := jsonKind(in.payload)
	if kind != "object" && kind != "" {
		return nil, pythonError(in.ctx, "TypeError", pythonTypeNames[kind]+" indices must be integers or slices, not str", productFrame)
	}
	var ev proxyEvent
	if kind == "" || json.Unmarshal(in.payload, &ev) != nil || ev.HTTPMethod == "" {
		return nil, pythonError(in.ctx, "KeyError", "'httpMethod'", productFrame)
	}
	return &ev, nil
}

const productFrame = "  File \"/var/task/app.py\", line 31, in lambda_handler\n    method = event[\"httpMethod\"]\n"

func answer(status int, body string, w work) handlerOutput {
	return handlerOutput{proxy: &proxyResponse{StatusCode: status, Headers: jsonHeaders, Body: body}, work: w}
}

func badRequest(message string) handlerOutput {
	return answer(http.StatusBadRequest, messageBody(message), work{cpu: badRequestCPU})
}

func messageBody(message string) string {
	data, _ := json.Marshal(map[string]string{"message": message})
	return string(data)
}

func (h *productsHandler) get(id string) handlerOutput {
	w := work{cpu: getItemCPU, io: getItemDDB, network: inRegionNetwork}
	item, ok := h.table.get(id)
	if !ok {
		return answer(http.StatusNotFound, `{"message":"Product not found"}`, w)
	}
	return answer(http.StatusOK, item, w)
}

func (h *productsHandler) remove(id string) handlerOutput {
	w := work{cpu: deleteItemCPU, io: deleteItemDDB, network: inRegionNetwork}
	if !h.table.remove(id) {
		return answer(http.StatusNotFound, `{"message":"Product not found"}`, w)
	}
	return answer(http.StatusNoContent, "", w)
}

func (h *productsHandler) list(ev *proxyEvent) handlerOutput {
	limit := scanPageLimit
	if raw, ok := ev.QueryStringParameters["limit"]; ok {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > scanPageLimit {
			return badRequest("limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	items, next, err := h.table.scan(ev.QueryStringParameters["nextToken"], limit)
	if err != nil {
		return badRequest(err.Error())
	}
	n := time.Duration(len(items))
	w := work{cpu: scanCPUBase + n*scanCPUPerItem, io: logNormal{scanDDBBase + n*scanDDBPerItem, scanDDBSigma}, network: inRegionNetwork}
	return answer(http.StatusOK, listBody(items, next), w)
}

// listBody writes {"products":[…],"count":n[,"nextToken":"…"]}.
func listBody(items []string, next string) string {
	size := 48
	for _, item := range items {
		size += len(item) + 1
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(`{"products":[`)
	for i, item := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	b.WriteString(`],"count":`)
	b.WriteString(strconv.Itoa(len(items)))
	if next != "" {
		b.WriteString(`,"nextToken":"` + next + `"`)
	}
	b.WriteByte('}')
	return b.String()
}

func (h *productsHandler) create(ev *proxyEvent, ctx lambdaContext) handlerOutput {
	body, msg := requestBody(ev)
	if msg != "" {
		return badRequest(msg)
	}
	fields, msg := productFields(body)
	if msg != "" {
		return badRequest(msg)
	}
	id := uuid.FromBits(ctx.random[0], ctx.random[1])
	fields["id"] = json.RawMessage(strconv.Quote(id))
	data, _ := json.Marshal(fields)
	item := string(data)
	w := work{cpu: putItemCPU, io: putItemDDB, network: inRegionNetwork}
	switch {
	case len(item) > maxItemBytes:
		return answer(http.StatusBadRequest, messageBody("Item size has exceeded the maximum allowed size"), w)
	case !h.table.put(id, item):
		return answer(http.StatusServiceUnavailable, messageBody("The products table is full (100,000 products or 64 MB); delete some first"), w)
	}
	return answer(http.StatusCreated, item, w)
}

// requestBody is the request's body, base64-decoded when API Gateway encoded
// it.
func requestBody(ev *proxyEvent) ([]byte, string) {
	if ev.Body == nil || *ev.Body == "" {
		return nil, "Request body is required: a JSON object describing the product"
	}
	if !ev.IsBase64Encoded {
		return []byte(*ev.Body), ""
	}
	data, err := base64.StdEncoding.DecodeString(*ev.Body)
	if err != nil {
		return nil, "Request body is not valid base64"
	}
	return data, ""
}

// productFields checks a new product: a JSON object with a non-empty string
// "name" and, if given, a number "price" of at least 0. A body that is not
// UTF-8 is not JSON text (RFC 8259 §8.1): the lab's Python, json.loads,
// raises UnicodeDecodeError on it, a ValueError like any malformed JSON.
func productFields(body []byte) (map[string]json.RawMessage, string) {
	var fields map[string]json.RawMessage
	if !utf8.Valid(body) || jsonKind(body) != "object" || json.Unmarshal(body, &fields) != nil {
		return nil, "Request body must be a JSON object describing the product"
	}
	var name string
	if json.Unmarshal(fields["name"], &name) != nil || name == "" {
		return nil, `"name" must be a non-empty string`
	}
	if raw, ok := fields["price"]; ok {
		var price float64
		if json.Unmarshal(raw, &price) != nil || price < 0 {
			return nil, `"price" must be a number of at least 0`
		}
	}
	return fields, ""
}

// powertoolsLine is a log line as AWS Lambda Powertools' Logger writes it,
// with the initialization type appended as an extra key.
func powertoolsLine(ctx lambdaContext, message string) string {
	data, _ := json.Marshal(struct {
		Level              string `json:"level"`
		Location           string `json:"location"`
		Message            string `json:"message"`
		Timestamp          string `json:"timestamp"`
		Service            string `json:"service"`
		ColdStart          bool   `json:"cold_start"`
		FunctionName       string `json:"function_name"`
		FunctionMemorySize string `json:"function_memory_size"`
		FunctionRequestID  string `json:"function_request_id"`
		InitializationType string `json:"initialization_type"`
	}{"INFO", "lambda_handler:58", message, ctx.now.UTC().Format("2006-01-02 15:04:05,000+0000"), "products",
		ctx.coldStart, ctx.functionName, strconv.Itoa(ctx.memoryMB), ctx.requestID, ctx.initializationType})
	return string(data)
}
