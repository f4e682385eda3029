package main

import (
	"runtime/debug"
	"strings"
)

// versionString is what `lambdatune --version` prints: the module version and
// the VCS revision the binary was built from, as the Go toolchain recorded
// them in its build info (go install and go build in a git checkout record
// both), and the Go version.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "lambdatune (no build information)"
	}
	return describeBuild(info)
}

func describeBuild(info *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	parts := []string{"lambdatune", info.Main.Version}
	if rev := settings["vcs.revision"]; rev != "" {
		vcs := "revision " + rev
		if t := settings["vcs.time"]; t != "" {
			vcs += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			vcs += ", with uncommitted changes"
		}
		parts = append(parts, "("+vcs+")")
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, " ")
}
