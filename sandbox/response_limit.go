package sandbox

import (
	"encoding/json"
	"unicode/utf8"
)

// Lambda's limit on what a synchronous invocation returns. Lambda calls it
// 6 MB and checks 6,291,556 bytes (6 MiB + 100) of the payload as it sends
// it; an answer over it is a function error — Invoke still answers 200, with
// X-Amz-Function-Error: Unhandled and the payload below, and API Gateway
// turns it into 502. Asynchronous invocations have no answer to check.
// (M) Z. Charles, "Deep Dive: Lambda's Response Payload Size Limit"; (C) moto
// test_invoke_function_large_response; (M) DataBiosphere/azul#7466 for the
// 502. Sources in docs/sandbox-model.md.
const maxSyncResponse = 6*1024*1024 + 100

// responseTooLarge is the function error Lambda reports for it.
var responseTooLarge = &functionError{
	errorType: "Function.ResponseSizeTooLarge",
	message:   "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
	payload: []byte(`{"errorType":"Function.ResponseSizeTooLarge",` +
		`"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."}`),
}

// limitResponse replaces an answer over maxSyncResponse with Lambda's
// function error; the code's work, memory and log lines stand.
func limitResponse(out handlerOutput) handlerOutput {
	if !out.overResponseLimit() {
		return out
	}
	out.payload, out.proxy, out.err = nil, nil, responseTooLarge
	return out
}

// overResponseLimit tells whether the payload Invoke would send is over
// maxSyncResponse, without building it for a proxy response (whose body may
// be megabytes), and without even measuring it when it is small.
func (o handlerOutput) overResponseLimit() bool {
	if o.err != nil || o.proxy == nil {
		return len(o.responsePayload()) > maxSyncResponse
	}
	if proxyBound(o.proxy) <= maxSyncResponse {
		return false
	}
	envelope := *o.proxy
	envelope.Body = ""
	data, _ := json.Marshal(&envelope)
	return len(data)-len(`""`)+jsonStringLen(o.proxy.Body) > maxSyncResponse
}

// proxyBound is the most a proxy response can take as JSON: every byte of
// its strings escaped to six, plus each member's quotes and punctuation.
func proxyBound(p *proxyResponse) int {
	n := 128 + len(p.Body)
	for k, v := range p.Headers {
		n += len(k) + len(v) + 6
	}
	for k, vs := range p.MultiValueHeaders {
		n += len(k) + 6
		for _, v := range vs {
			n += len(v) + 3
		}
	}
	return 6 * n
}

// jsonStringLen is the length of s as encoding/json writes it: quoted, with
// \", \\, \b, \f, \n, \r and \t as two bytes, other control characters, <, >
// and & (HTML-safe escaping), U+2028, U+2029 and invalid UTF-8 (as \ufffd)
// as six. FuzzJSONStringLen holds it equal to json.Marshal.
func jsonStringLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			n += asciiJSONLen(b)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}

func asciiJSONLen(b byte) int {
	switch b {
	case '"', '\\', '\b', '\f', '\n', '\r', '\t':
		return 2
	case '<', '>', '&':
		return 6
	}
	if b < 0x20 {
		return 6
	}
	return 1
}
