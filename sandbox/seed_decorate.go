package sandbox

import (
	"strconv"
	"time"
)

// decorate gives some functions what real accounts have: about one in six
// reserved concurrency, one in four a history of published versions with a
// "live" alias, and some of those provisioned concurrency. Every setting obeys
// the same rules the API enforces, so a small account simply gets fewer.
func (g *generator) decorate(f *function) {
	if g.pick(6) == 0 {
		g.reserve(f)
	}
	if g.pick(4) == 0 {
		g.publishHistory(f)
	}
}

func (g *generator) reserve(f *function) {
	n := reservations[g.pick(len(reservations))]
	if g.s.acct.unreservedExcept(f.name)-n >= g.s.acct.unreservedFloor() {
		f.reserved = &n
	}
}

// publishHistory publishes one to three versions, each after a memory change,
// points "live" at the newest and sometimes "staging" at $LATEST.
func (g *generator) publishHistory(f *function) {
	count := 1 + g.pick(3)
	cfg := f.applied
	base := cfg.LastModified
	for i := 1; i <= count; i++ {
		if i > 1 {
			cfg.MemorySize = memorySizes[g.pick(len(memorySizes))]
		}
		cfg.Revision = i
		cfg.RevisionID = g.s.newUUID()
		cfg.CodeSha256 = codeSha(f.name, i)
		cfg.LastModified = base.Add(-time.Duration(count-i+1) * 24 * time.Hour)
		f.versions = append(f.versions, &publishedVersion{number: i, config: cfg, description: cfg.Description})
	}
	if g.pick(2) == 0 { // $LATEST changed since the last publish
		cfg.MemorySize = memorySizes[g.pick(len(memorySizes))]
		cfg.Revision = count + 1
		cfg.CodeSha256 = codeSha(f.name, count+1)
	}
	cfg.RevisionID = g.s.newUUID()
	cfg.LastModified = base
	f.applied = cfg
	f.aliases["live"] = &alias{name: "live", version: strconv.Itoa(count), revisionID: g.s.newUUID()}
	if g.pick(3) == 0 {
		f.aliases["staging"] = &alias{name: "staging", version: latestVersion, revisionID: g.s.newUUID()}
	}
	if g.pick(3) == 0 {
		g.provisionLive(f, count)
	}
}

// provisionLive puts READY provisioned concurrency on "live", if it fits.
func (g *generator) provisionLive(f *function, version int) {
	n := 1 + g.pick(10)
	if f.reserved != nil && n > *f.reserved {
		return
	}
	if f.reserved == nil && g.s.acct.unreserved()-n < g.s.acct.unreservedFloor() {
		return
	}
	since := f.applied.LastModified
	f.provisioned[version] = &provisionedConfig{
		version: version, qualifier: "live", requested: n, lastModified: since, readyAt: since,
	}
}
