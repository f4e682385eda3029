package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// codeEntry is what a function's deployment package holds: code for one
// runtime family, entered through one handler. Changing the Handler or the
// Runtime to something the package does not have breaks every invocation at
// init, as on AWS: the runtime cannot load the code and the invocation fails
// with its error (Runtime.ImportModuleError for a Python module that is not
// there). The texts are the managed runtimes' own; docs/sandbox-model.md,
// "Handlers that do not load", gives their sources.
type codeEntry struct {
	family  string
	handler string
}

// entryOf is the entry of the code deployed with configuration cfg.
func entryOf(cfg functionConfig) codeEntry {
	return codeEntry{family: runtimeModelFor(cfg.Runtime).family, handler: cfg.Handler}
}

// loads tells whether cfg's runtime finds the code through cfg's handler.
// Custom runtimes (provided) run the package's bootstrap, which reads the
// handler itself, so only their family matters.
func (e codeEntry) loads(cfg functionConfig) bool {
	family := runtimeModelFor(cfg.Runtime).family
	return family == e.family && (family == "provided" || cfg.Handler == e.handler)
}

// failedInitCPU is the time the runtime spends before it gives up. (I)
const failedInitCPU = time.Millisecond

// brokenCode is a function whose runtime cannot load its code.
type brokenCode struct {
	entry   codeEntry
	family  string // of the configured runtime
	handler string // as configured
}

func (b brokenCode) handle(in *handlerInput) handlerOutput {
	return handlerOutput{err: b.initError(in.ctx), work: work{cpu: failedInitCPU}, failedInit: true}
}

// initError is the configured runtime's error for the code it cannot load.
func (b brokenCode) initError(ctx lambdaContext) *functionError {
	module, fn, dotted := cutLast(b.handler, ".")
	has := b.family == b.entry.family
	wantModule, _, _ := cutLast(b.entry.handler, ".")
	switch b.family {
	case "python":
		switch {
		case !dotted:
			return initFailure(ctx, b.family, "Runtime.MalformedHandlerName", fmt.Sprintf("Bad handler '%s': not enough values to unpack (expected 2, got 1)", b.handler))
		case !has || module != wantModule:
			return initFailure(ctx, b.family, "Runtime.ImportModuleError", fmt.Sprintf("Unable to import module '%s': No module named '%s'", module, firstSegment(module)))
		}
		return initFailure(ctx, b.family, "Runtime.HandlerNotFound", fmt.Sprintf("Handler '%s' missing on module '%s'", fn, module))
	case "node":
		switch {
		case !dotted:
			return initFailure(ctx, b.family, "Runtime.MalformedHandlerName", "Bad handler "+b.handler)
		case !has || module != wantModule:
			return initFailure(ctx, b.family, "Runtime.ImportModuleError", fmt.Sprintf("Error: Cannot find module '%s'\nRequire stack:\n- /var/runtime/index.mjs", module))
		}
		return initFailure(ctx, b.family, "Runtime.HandlerNotFound", b.handler+" is undefined or not exported")
	}
	return b.otherInitError(ctx, has)
}

// otherInitError covers the runtimes whose loaders are not modelled in
// detail: the class, assembly or file named first in the handler. (I) for
// .NET and Ruby.
func (b brokenCode) otherInitError(ctx lambdaContext, has bool) *functionError {
	unit, _, _ := strings.Cut(b.handler, "::")
	switch b.family {
	case "provided":
		return initFailure(ctx, b.family, "Runtime.InvalidEntrypoint",
			fmt.Sprintf("RequestId: %s Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]", ctx.requestID))
	case "java":
		return initFailure(ctx, b.family, "java.lang.ClassNotFoundException", "Class not found: "+unit)
	case "dotnet":
		return initFailure(ctx, b.family, "LambdaException",
			fmt.Sprintf("Could not find the specified handler assembly with the file name '%s, Culture=neutral, PublicKeyToken=null'. The assembly should be located in the root of your uploaded .zip file.", unit))
	}
	file, _, _ := cutLast(b.handler, ".")
	return initFailure(ctx, b.family, "Init<LoadError>", "cannot load such file -- /var/task/"+file)
}

// initFailure is an init error as the family's runtime reports it: Python's
// and Node's runtime errors, the others' generic shape.
func initFailure(ctx lambdaContext, family, errType, message string) *functionError {
	var body any
	switch family {
	case "python":
		body = struct {
			ErrorMessage string   `json:"errorMessage"`
			ErrorType    string   `json:"errorType"`
			RequestID    string   `json:"requestId"`
			StackTrace   []string `json:"stackTrace"`
		}{message, errType, "", []string{}}
	case "node":
		body = struct {
			ErrorType    string   `json:"errorType"`
			ErrorMessage string   `json:"errorMessage"`
			Trace        []string `json:"trace"`
		}{errType, message, strings.Split(errType+": "+message, "\n")}
	default:
		return runtimeError(ctx, family, errType, message)
	}
	payload, _ := json.Marshal(body)
	line := fmt.Sprintf("%s\t%s\tERROR\t%s: %s", lambdaLogTime(ctx.now), ctx.requestID, errType, strings.ReplaceAll(message, "\n", "\r"))
	if family == "python" {
		line = fmt.Sprintf("[ERROR] %s: %s\rTraceback (most recent call last):", errType, message)
	}
	return &functionError{errorType: errType, message: message, payload: payload, logLine: line}
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// firstSegment is the top-level package of a module path ("src/app" → "src").
func firstSegment(module string) string {
	first, _, _ := strings.Cut(strings.ReplaceAll(module, "/", "."), ".")
	return first
}
