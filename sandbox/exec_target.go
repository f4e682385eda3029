package sandbox

import (
	"strconv"
	"time"
)

// target is what an Invoke runs: a function, the version its qualifier
// resolves to, and that version's configuration as invocations use it now.
type target struct {
	f       *function
	version string
	config  functionConfig
}

// resolve finds what ref names. An unqualified name and $LATEST run the
// applied $LATEST configuration (an update in progress is not yet used); an
// alias runs the version it points at. A qualifier naming nothing is
// "Function not found" with the qualified ARN, as Invoke answers.
func (s *Sandbox) resolve(now time.Time, ref functionRef) (target, *apiError) {
	f, err := s.acct.lookup(ref)
	if err != nil {
		return target{}, err
	}
	f.settle(now)
	version := ref.qualifier
	if a := f.aliases[version]; a != nil && !isVersionNumber(version) {
		version = a.version
	}
	switch {
	case version == "" || version == latestVersion:
		return target{f, latestVersion, f.applied}, nil
	case isVersionNumber(version) && f.version(versionNumber(version)) != nil:
		v := f.version(versionNumber(version))
		return target{f, strconv.Itoa(v.number), v.config}, nil
	}
	return target{}, errFunctionNotFound(s.acct.qualifiedARN(f.name, ref.qualifier))
}
