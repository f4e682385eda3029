package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// A body that is not UTF-8 is not JSON text: the products code answers 400
// as it does for any malformed body, stores nothing, and every list stays
// valid JSON.
func TestProductBodyThatIsNotUTF8(t *testing.T) {
	fx := newFixture(t, testConfig())
	before := fx.sb.products.table.len()
	for _, body := range []string{"{\"name\":\"caf\xe9\"}", "{\"name\":\"lamp\",\"note\":\"\xff\xfe\"}", "{\"name\":\"\xed\xa0\x80\"}"} {
		fx.call("POST", "/products", body).expect(t, http.StatusBadRequest, `{"message":"Request body must be a JSON object describing the product"}`)
	}
	if fx.sb.products.table.len() != before {
		t.Fatal("a body that is not UTF-8 was stored")
	}
	list := fx.call("GET", "/products", "")
	if !utf8.ValidString(list.body) || !json.Valid([]byte(list.body)) {
		t.Fatal("the list is not valid JSON text")
	}
}

// A list page holds at most 100 products and stops once they pass 1 MB, as
// DynamoDB's Scan does; the next page carries on from there.
func TestListPageStopsPastOneMegabyte(t *testing.T) {
	fx := newFixture(t, testConfig())
	seeded := fx.sb.products.table.len()
	for range 5 {
		fx.call("POST", "/products", `{"name":"`+strings.Repeat("x", 390<<10)+`"}`).expect(t, http.StatusCreated, "")
	}
	var page struct {
		Products  []json.RawMessage
		Count     int
		NextToken string
	}
	mustNoErr(t, json.Unmarshal([]byte(fx.call("GET", "/products", "").body), &page), "first page")
	if page.Count != seeded+3 || len(page.Products) != page.Count || page.NextToken == "" {
		t.Fatalf("first page: %d products (seeded %d), next %q; want the seeded ones and 3 large ones", page.Count, seeded, page.NextToken)
	}
	next := page.NextToken
	page.NextToken = ""
	mustNoErr(t, json.Unmarshal([]byte(fx.call("GET", "/products?nextToken="+url.QueryEscape(next), "").body), &page), "second page")
	if page.Count != 2 || page.NextToken != "" {
		t.Fatalf("second page: %d products, next %q; want the last 2", page.Count, page.NextToken)
	}
}
