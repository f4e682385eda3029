package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// frontResponse is an answer of the products API front.
type frontResponse struct {
	status int
	header http.Header
	body   string
}

// call sends a request to the front over HTTP, driving the clock while the
// front waits out its modelled time.
func (fx *fixture) call(method, path, body string) frontResponse {
	fx.t.Helper()
	var resp frontResponse
	var err error
	fx.drive(func() {
		req, _ := http.NewRequestWithContext(fx.ctx, method, fx.apiURL+path, strings.NewReader(body))
		var r *http.Response
		if r, err = http.DefaultClient.Do(req); err == nil {
			data, _ := io.ReadAll(r.Body)
			r.Body.Close()
			resp = frontResponse{r.StatusCode, r.Header, string(data)}
		}
	})
	mustNoErr(fx.t, err, method+" "+path)
	return resp
}

func (r frontResponse) expect(t *testing.T, status int, body string) {
	t.Helper()
	if r.status != status || (body != "" && r.body != body) {
		t.Fatalf("answered %d %s, want %d %s", r.status, r.body, status, body)
	}
	if r.header.Get("X-Amzn-Requestid") == "" || r.header.Get("X-Amz-Apigw-Id") == "" || !traceIDPattern.MatchString(r.header.Get(traceHeader)) {
		t.Fatalf("answer lacks API Gateway's headers: %v", r.header)
	}
}

func TestFrontProductsCRUD(t *testing.T) {
	fx := newFixture(t, testConfig())
	created := fx.call("POST", "/products", `{"name":"Granite Lamp","price":12.5,"category":"home"}`)
	created.expect(t, http.StatusCreated, "")
	var product struct {
		ID, Name string
		Price    float64
	}
	mustNoErr(t, json.Unmarshal([]byte(created.body), &product), "decode the new product")
	if len(product.ID) != 36 || product.Name != "Granite Lamp" || product.Price != 12.5 || created.header.Get("Content-Type") != "application/json" {
		t.Fatalf("created %s (%v)", created.body, created.header)
	}
	fx.call("GET", "/products/"+product.ID, "").expect(t, http.StatusOK, created.body)
	var page struct {
		Products  []json.RawMessage
		Count     int
		NextToken string
	}
	list := fx.call("GET", "/products?limit=100", "")
	list.expect(t, http.StatusOK, "")
	mustNoErr(t, json.Unmarshal([]byte(list.body), &page), "decode the list")
	if page.Count != seededProducts+1 || len(page.Products) != page.Count || page.NextToken != "" || !strings.Contains(list.body, product.ID) {
		t.Fatalf("list of %d: count %d, next %q", len(page.Products), page.Count, page.NextToken)
	}
	first := fx.call("GET", "/products/?limit=20", "") // a trailing slash is the same resource
	mustNoErr(t, json.Unmarshal([]byte(first.body), &page), "decode the first page")
	second := fx.call("GET", "/products?limit=20&nextToken="+page.NextToken, "")
	if page.Count != 20 || page.NextToken == "" || second.status != 200 || strings.Contains(second.body, string(page.Products[19])) {
		t.Fatalf("paging: first %d items next %q; second %d", page.Count, page.NextToken, second.status)
	}
	fx.call("DELETE", "/products/"+product.ID, "").expect(t, http.StatusNoContent, "")
	fx.call("GET", "/products/"+product.ID, "").expect(t, http.StatusNotFound, `{"message":"Product not found"}`)
	fx.call("DELETE", "/products/"+product.ID, "").expect(t, http.StatusNotFound, `{"message":"Product not found"}`)
}

func TestFrontBadRequests(t *testing.T) {
	fx := newFixture(t, testConfig())
	for _, tc := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/products", `{"name": "lamp",`, 400, `{"message":"Request body must be a JSON object describing the product"}`},
		{"POST", "/products", `[1,2]`, 400, `{"message":"Request body must be a JSON object describing the product"}`},
		{"POST", "/products", ``, 400, `{"message":"Request body is required: a JSON object describing the product"}`},
		{"POST", "/products", `{"price": 3}`, 400, `{"message":"\"name\" must be a non-empty string"}`},
		{"POST", "/products", `{"name":"x","price":-1}`, 400, `{"message":"\"price\" must be a number of at least 0"}`},
		{"GET", "/products?limit=0", ``, 400, `{"message":"limit must be a whole number from 1 to 100"}`},
		{"GET", "/products?nextToken=%21%21", ``, 400, `{"message":"nextToken is not valid"}`},
		{"GET", "/products/no-such-id", ``, 404, `{"message":"Product not found"}`},
	} {
		got := fx.call(tc.method, tc.path, tc.body)
		if got.status != tc.status || got.body != tc.want {
			t.Errorf("%s %s %q: %d %s, want %d %s", tc.method, tc.path, tc.body, got.status, got.body, tc.status, tc.want)
		}
	}
}

// API Gateway answers anything it has no route for with 403 Missing
// Authentication Token: unknown paths, methods a resource lacks, and paths
// without the stage.
func TestFrontUnknownRoutes(t *testing.T) {
	fx := newFixture(t, testConfig())
	root := strings.TrimSuffix(fx.apiURL, "/"+frontStage)
	for _, target := range []struct{ method, url string }{
		{"GET", fx.apiURL + "/orders"}, {"PUT", fx.apiURL + "/products/1"}, {"PATCH", fx.apiURL + "/products"},
		{"GET", fx.apiURL + "/products/1/reviews"}, {"GET", fx.apiURL}, {"GET", fx.apiURL + "/"},
		{"GET", root + "/products"}, {"GET", root + "/prod/products"}, {"OPTIONS", fx.apiURL + "/products"},
	} {
		req, _ := http.NewRequest(target.method, target.url, nil)
		resp, err := http.DefaultClient.Do(req)
		mustNoErr(t, err, target.method+" "+target.url)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 403 || string(body) != `{"message":"Missing Authentication Token"}` ||
			resp.Header.Get("X-Amzn-Errortype") != "MissingAuthenticationTokenException" || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %s %v", target.method, target.url, resp.StatusCode, body, resp.Header)
		}
	}
}

// A Lambda throttle is a 500 from API Gateway; a function error, a timeout or
// an answer that is not a proxy response a 502; both say "Internal server
// error" (D) [S41].
func TestFrontMapsLambdaFailures(t *testing.T) {
	fx := newFixture(t, testConfig())
	product := fx.sb.ProductFunctionName()
	fx.reserve(product, 0)
	fx.call("GET", "/products", "").expect(t, http.StatusInternalServerError, `{"message": "Internal server error"}`)
	_, err := fx.client.DeleteFunctionConcurrency(fx.ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(product)})
	mustNoErr(t, err, "DeleteFunctionConcurrency")

	image := fx.functionOfKind(imageKind)
	fx.sb.mu.Lock()
	fx.sb.front.function = image // its answer is not a proxy response
	fx.sb.mu.Unlock()
	fx.call("GET", "/products", "").expect(t, http.StatusBadGateway, `{"message": "Internal server error"}`)
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(image), MemorySize: aws.Int32(128), Timeout: aws.Int32(1)})
	fx.call("POST", "/products", `{"width":4000,"height":3000}`).expect(t, http.StatusBadGateway, `{"message": "Internal server error"}`)
	// Past the 29-second integration timeout the client gets 504 while the
	// function runs on to its own timeout.
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(image), Timeout: aws.Int32(60)})
	fx.call("POST", "/products", `{"width":4000,"height":3000}`).expect(t, http.StatusGatewayTimeout, `{"message": "Endpoint request timed out"}`)
}

func TestProxyAnswerChecksTheResponse(t *testing.T) {
	for _, tc := range []struct {
		payload string
		status  int
		body    string
	}{
		{`{"statusCode":201,"body":"made","headers":{"X-A":"1"}}`, 201, "made"},
		{`{"statusCode":200,"body":"aGVsbG8=","isBase64Encoded":true}`, 200, "hello"},
		{`{"statusCode":200}`, 200, ""},
		{`{"statusCode":"200","body":"x"}`, 502, `{"message": "Internal server error"}`},
		{`{"statusCode":200,"body":{"a":1}}`, 502, `{"message": "Internal server error"}`},
		{`{"statusCode":200,"extra":true}`, 502, `{"message": "Internal server error"}`},
		{`{"body":"no status"}`, 502, `{"message": "Internal server error"}`},
		{`[1]`, 502, `{"message": "Internal server error"}`},
		{`{"statusCode":200,"body":"%%%","isBase64Encoded":true}`, 502, `{"message": "Internal server error"}`},
	} {
		got := proxyAnswer(&invocation{out: handlerOutput{payload: []byte(tc.payload)}})
		if got.status != tc.status || got.body != tc.body {
			t.Errorf("%s: %d %q, want %d %q", tc.payload, got.status, got.body, tc.status, tc.body)
		}
	}
}

// The table is bounded by size as well as by count: big products fill it
// long before 100,000 of them would.
func TestProductsTableIsBounded(t *testing.T) {
	table := newProductTable()
	big := strings.Repeat("x", 300*1024)
	stored := 0
	for i := 0; table.put(strconv.Itoa(i), big); i++ {
		stored++
	}
	if stored != maxTableBytes/len(big) {
		t.Fatalf("stored %d items of 300 KB, want %d", stored, maxTableBytes/len(big))
	}
	if !table.remove("0") || !table.put("again", big) {
		t.Fatal("deleting an item should make room for another")
	}
}
