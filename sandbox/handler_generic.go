package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The seeded account's other functions run one of three plausible kinds of
// code, chosen by what their name says they do. Their costs are (I): made up
// to look like common workloads, not measured.
type genericKind int

const (
	// apiKind answers a request after one quick downstream call.
	apiKind genericKind = iota
	// batchKind processes a batch of records (SQS, Kinesis) and reports
	// partial failures the way SQS batch responses do.
	batchKind
	// imageKind resizes an image: CPU-heavy, work ∝ pixels.
	imageKind
)

// kindKeywords map words in a function's name to its kind.
var kindKeywords = []struct {
	word string
	kind genericKind
}{
	{"resizer", imageKind}, {"processor", imageKind}, {"exporter", imageKind}, {"aggregator", imageKind}, {"indexer", imageKind},
	{"worker", batchKind}, {"consumer", batchKind}, {"ingest", batchKind}, {"sync", batchKind}, {"streamhandler", batchKind},
	{"scheduler", batchKind}, {"cleanup", batchKind}, {"notifier", batchKind},
}

// genericHandler is the code of a seeded function other than the lab's.
type genericHandler struct {
	kind   genericKind
	family string
}

// genericHandlerFor picks the code a function runs from its name.
func genericHandlerFor(name string, rt runtimeModel) handler {
	flat := strings.ReplaceAll(strings.ToLower(name), "-", "")
	for _, k := range kindKeywords {
		if strings.Contains(flat, k.word) {
			return genericHandler{kind: k.kind, family: rt.family}
		}
	}
	return genericHandler{kind: apiKind, family: rt.family}
}

// genericEvent is what the generic handlers read from their event.
type genericEvent struct {
	Width   int               `json:"width"`
	Height  int               `json:"height"`
	Records []json.RawMessage `json:"Records"`
}

// Modelled costs. (I)
const (
	imageCPUPerMegapixel = 300 * time.Millisecond // decode, resize, encode at one vCPU
	imageMemoryPerMP     = 30                     // MB of pixels held per megapixel
	defaultImageWidth    = 1024
	defaultImageHeight   = 768
	maxImageSide         = 20000
	batchCPUBase         = 2 * time.Millisecond
	batchCPUPerRecord    = 1500 * time.Microsecond
	apiCPU               = 3 * time.Millisecond
)

var (
	s3Transfer   = logNormal{40 * time.Millisecond, 0.35} // GetObject + PutObject (I)
	batchWrite   = logNormal{10 * time.Millisecond, 0.35} // one BatchWriteItem (I)
	quickLookup  = logNormal{5 * time.Millisecond, 0.35}  // one GetItem-class call, like the lab's (I)
	fieldsByKind = map[genericKind]string{apiKind: "id", batchKind: "Records", imageKind: "width"}
)

func (h genericHandler) handle(in *handlerInput) handlerOutput {
	payload := in.payload
	if in.proxy != nil { // behind API Gateway the code reads the request body
		payload = nil
		if in.proxy.Body != nil {
			payload = []byte(*in.proxy.Body)
		}
	}
	if err := badEventError(in.ctx, h.family, jsonKind(payload), fieldsByKind[h.kind]); err != nil {
		return handlerOutput{err: err, work: work{cpu: time.Millisecond}}
	}
	var ev genericEvent
	_ = json.Unmarshal(payload, &ev) // fields of the wrong type keep their defaults, as lenient code would
	answer := map[string]any{
		"function": in.ctx.functionName, "version": in.ctx.functionVersion, "requestId": in.ctx.requestID,
		"memoryLimitInMB": in.ctx.memoryMB, "initializationType": in.ctx.initializationType, "coldStart": in.ctx.coldStart,
	}
	out := h.run(ev, answer)
	out.payload, _ = json.Marshal(answer)
	if in.wantLogs {
		out.logs = []string{h.logLine(in.ctx, answer)}
	}
	return out
}

// run does the kind's work, adding its results to answer.
func (h genericHandler) run(ev genericEvent, answer map[string]any) handlerOutput {
	switch h.kind {
	case imageKind:
		w, hgt := imageSide(ev.Width, defaultImageWidth), imageSide(ev.Height, defaultImageHeight)
		mp := float64(w) * float64(hgt) / 1e6
		thumbWidth := min(w, 256)
		answer["width"], answer["height"] = w, hgt
		answer["thumbnail"] = fmt.Sprintf("%dx%d", thumbWidth, max(1, hgt*thumbWidth/w))
		return handlerOutput{work: work{cpu: time.Duration(mp * float64(imageCPUPerMegapixel)), io: s3Transfer, network: inRegionNetwork},
			extraMemoryMB: int(mp * imageMemoryPerMP)}
	case batchKind:
		answer["batchItemFailures"], answer["processed"] = []any{}, len(ev.Records)
		cpu := batchCPUBase + time.Duration(len(ev.Records))*batchCPUPerRecord
		return handlerOutput{work: work{cpu: cpu, io: batchWrite, network: inRegionNetwork}, extraMemoryMB: len(ev.Records) / 100}
	}
	answer["ok"] = true
	return handlerOutput{work: work{cpu: apiCPU, io: quickLookup, network: inRegionNetwork}}
}

func imageSide(v, fallback int) int {
	if v <= 0 {
		return fallback
	}
	return min(v, maxImageSide)
}

// logLine is the one line the code logs, in its runtime's format.
func (h genericHandler) logLine(ctx lambdaContext, answer map[string]any) string {
	msg := fmt.Sprintf("handled request (initialization type %s, cold start %t)", ctx.initializationType, ctx.coldStart)
	if w, ok := answer["width"]; ok {
		msg = fmt.Sprintf("resized %vx%v to %v", w, answer["height"], answer["thumbnail"])
	} else if n, ok := answer["processed"]; ok {
		msg = fmt.Sprintf("processed %v records", n)
	}
	ts := lambdaLogTime(ctx.now)
	switch h.family {
	case "python":
		return fmt.Sprintf("[INFO]\t%s\t%s\t%s", ts, ctx.requestID, msg)
	case "node":
		return fmt.Sprintf("%s\t%s\tINFO\t%s", ts, ctx.requestID, msg)
	}
	return msg
}

// lambdaLogTime is how runtimes stamp log lines: 2026-11-27T09:00:00.123Z.
func lambdaLogTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
