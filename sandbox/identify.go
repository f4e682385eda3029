package sandbox

import "net/http"

// IdentityHeader is set, to "1", on every response of the sandbox's AWS
// endpoint, errors included, so a client pointed at an --endpoint-url can
// tell a lambdatune sandbox from AWS (or another emulator) and use the
// sandbox's 1-second metrics view. AWS never sends it.
const IdentityHeader = "X-Lambdatune-Sandbox"

// identified sets IdentityHeader before h answers.
func identified(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(IdentityHeader, "1")
		h.ServeHTTP(w, r)
	})
}
