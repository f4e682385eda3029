package aws

import (
	"os"
	"path/filepath"
)

// configEnvironment names the environment variables that show an AWS
// configuration is in sight, in the order they are reported.
var configEnvironment = []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"}

// Sighting is what showed an AWS configuration: the first of the AWS
// environment variables that is set, or else the first shared file that
// exists. The zero value is nothing in sight.
type Sighting struct {
	Variable string // e.g. AWS_ACCESS_KEY_ID
	File     string // e.g. /home/me/.aws/config
}

// Found reports whether a configuration is in sight.
func (s Sighting) Found() bool { return s.Variable != "" || s.File != "" }

// String says what was seen, for the header and for errors: "AWS_ACCESS_KEY_ID
// is set" or "/home/me/.aws/config exists"; "" for nothing.
func (s Sighting) String() string {
	switch {
	case s.Variable != "":
		return s.Variable + " is set"
	case s.File != "":
		return s.File + " exists"
	}
	return ""
}

// ConfigInSight reports what AWS configuration is visible without asking
// anything over the network: one of the AWS environment variables is set, or
// ~/.aws/config or ~/.aws/credentials exists. It never probes the EC2
// metadata service. getenv is os.Getenv outside tests; home is the user's
// home directory.
func ConfigInSight(getenv func(string) string, home string) Sighting {
	for _, name := range configEnvironment {
		if getenv(name) != "" {
			return Sighting{Variable: name}
		}
	}
	if home == "" {
		return Sighting{}
	}
	for _, file := range []string{"config", "credentials"} {
		path := filepath.Join(home, ".aws", file)
		if _, err := os.Stat(path); err == nil {
			return Sighting{File: path}
		}
	}
	return Sighting{}
}
