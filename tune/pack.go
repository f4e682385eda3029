package tune

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// The journal keeps each run's and change's list fields twice: as columns a
// user reads with the sqlite3 tool, and packed in one blob that a list of
// thousands reads in one column per row (SQLite's per-column cost, not the
// data, dominates such a read). The packing is ours: varints, floats as 8
// bytes, strings with their length, behind a format byte.

const packFormat = 1

var errBadPack = errors.New("damaged list entry")

type packer struct{ b []byte }

func (p *packer) int(v int64)      { p.b = binary.AppendVarint(p.b, v) }
func (p *packer) uint(v uint64)    { p.b = binary.AppendUvarint(p.b, v) }
func (p *packer) float(v float64)  { p.b = binary.LittleEndian.AppendUint64(p.b, math.Float64bits(v)) }
func (p *packer) time(t time.Time) { p.int(t.UnixNano()) }
func (p *packer) str(s string) {
	p.uint(uint64(len(s)))
	p.b = append(p.b, s...)
}
func (p *packer) bool(v bool) {
	if v {
		p.b = append(p.b, 1)
	} else {
		p.b = append(p.b, 0)
	}
}

// unpacker reads what a packer wrote; the first error sticks. Strings are
// interned, so a list's many runs of the same load share their settings.
type unpacker struct {
	b      []byte
	err    error
	intern map[string]string
}

func (u *unpacker) fail() { u.err, u.b = errBadPack, nil }

func (u *unpacker) int() int64 {
	v, n := binary.Varint(u.b)
	if n <= 0 {
		u.fail()
		return 0
	}
	u.b = u.b[n:]
	return v
}

func (u *unpacker) uint() uint64 {
	v, n := binary.Uvarint(u.b)
	if n <= 0 {
		u.fail()
		return 0
	}
	u.b = u.b[n:]
	return v
}

func (u *unpacker) float() float64 {
	if len(u.b) < 8 {
		u.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(u.b))
	u.b = u.b[8:]
	return v
}

func (u *unpacker) time() time.Time { return fromNanos(u.int()) }

func (u *unpacker) duration() time.Duration { return time.Duration(u.int()) }

func (u *unpacker) bool() bool {
	if len(u.b) < 1 {
		u.fail()
		return false
	}
	v := u.b[0] != 0
	u.b = u.b[1:]
	return v
}

func (u *unpacker) str() string {
	n := u.uint()
	if n > uint64(len(u.b)) {
		u.fail()
		return ""
	}
	raw := u.b[:n]
	u.b = u.b[n:]
	if s, ok := u.intern[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if u.intern != nil && len(u.intern) < 4096 {
		u.intern[s] = s
	}
	return s
}

// packRun packs a run's list fields (not its ID or function: the events
// row has them).
func packRun(s RunSummary) []byte {
	p := &packer{b: make([]byte, 0, 256)}
	p.uint(packFormat)
	p.str(s.Qualifier)
	p.str(s.Path)
	packSettings(p, s.Settings)
	p.time(s.Started)
	p.time(s.Ended)
	p.int(int64(s.Elapsed))
	p.str(s.StopReason)
	for _, n := range []uint64{s.Requests, s.Failures, s.Throttles} {
		p.uint(n)
	}
	for _, d := range []time.Duration{s.Average, s.P50, s.P95, s.P99, s.Max} {
		p.int(int64(d))
	}
	p.float(s.RPS)
	p.bool(s.ColdStarts.Known)
	p.uint(s.ColdStarts.Value)
	p.str(s.ColdStarts.Source)
	p.int(int64(s.Billed.Average))
	p.str(s.Billed.Source)
	packConfigCost(p, s.Config)
	return p.b
}

func packSettings(p *packer, st RunSettings) {
	p.str(st.Target)
	p.str(st.Scenario)
	p.str(st.Model)
	p.int(int64(st.Users))
	p.float(st.SpawnRate)
	p.str(st.Wait)
	p.str(st.Rate)
	p.int(int64(st.RunTime))
	p.uint(st.MaxRequests)
	p.uint(st.Seed)
	p.str(st.Adjusted)
}

func packConfigCost(p *packer, c ConfigCost) {
	p.bool(c.Known)
	p.int(int64(c.MemoryMB))
	p.str(c.Architecture)
	p.str(c.Summary)
	p.int(int64(c.Provisioned))
	p.int(int64(c.ProvisionedTotal))
	p.float(c.ProvisionedShare)
	p.str(c.ShareSource)
}

func (u *unpacker) run(s *RunSummary) error {
	if u.uint() != packFormat {
		return errBadPack
	}
	s.Qualifier, s.Path = u.str(), u.str()
	u.settings(&s.Settings)
	s.Started, s.Ended, s.Elapsed, s.StopReason = u.time(), u.time(), u.duration(), u.str()
	s.Requests, s.Failures, s.Throttles = u.uint(), u.uint(), u.uint()
	s.Average, s.P50, s.P95, s.P99, s.Max = u.duration(), u.duration(), u.duration(), u.duration(), u.duration()
	s.RPS = u.float()
	s.ColdStarts = Count{Known: u.bool(), Value: u.uint(), Source: u.str()}
	s.Billed = Billed{Average: u.duration(), Source: u.str()}
	u.configCost(&s.Config)
	return u.err
}

func (u *unpacker) settings(st *RunSettings) {
	st.Target, st.Scenario, st.Model = u.str(), u.str(), u.str()
	st.Users, st.SpawnRate, st.Wait, st.Rate = int(u.int()), u.float(), u.str(), u.str()
	st.RunTime, st.MaxRequests, st.Seed = u.duration(), u.uint(), u.uint()
	st.Adjusted = u.str()
}

func (u *unpacker) configCost(c *ConfigCost) {
	c.Known, c.MemoryMB, c.Architecture, c.Summary = u.bool(), int32(u.int()), u.str(), u.str()
	c.Provisioned, c.ProvisionedTotal = int32(u.int()), int32(u.int())
	c.ProvisionedShare, c.ShareSource = u.float(), u.str()
}

// packChange packs a change's list fields.
func packChange(rec ChangeRecord) []byte {
	p := &packer{b: make([]byte, 0, 160)}
	p.uint(packFormat)
	for _, s := range []string{string(rec.Kind), rec.Path, rec.Title, rec.Status, rec.Error} {
		p.str(s)
	}
	p.time(rec.Requested)
	p.time(rec.Finished)
	p.str(rec.Before.Summary())
	p.str(rec.After.Summary())
	return p.b
}

func (u *unpacker) change(c *ChangeSummary) error {
	if u.uint() != packFormat {
		return errBadPack
	}
	c.Kind, c.Path, c.Title, c.Status, c.Error = ChangeKind(u.str()), u.str(), u.str(), u.str(), u.str()
	c.Requested, c.Finished = u.time(), u.time()
	c.BeforeSummary, c.AfterSummary = u.str(), u.str()
	return u.err
}
