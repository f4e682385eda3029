package aws

import (
	"os"
	"path/filepath"
)

// configEnvironment names the environment variables that show an AWS
// configuration is in sight.
var configEnvironment = []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"}

// ConfigInSight reports whether an AWS configuration is visible without asking
// anything over the network: one of the AWS environment variables is set, or
// ~/.aws/config or ~/.aws/credentials exists. It never probes the EC2 metadata
// service. getenv is os.Getenv outside tests; home is the user's home directory.
func ConfigInSight(getenv func(string) string, home string) bool {
	for _, name := range configEnvironment {
		if getenv(name) != "" {
			return true
		}
	}
	if home == "" {
		return false
	}
	for _, file := range []string{"config", "credentials"} {
		if _, err := os.Stat(filepath.Join(home, ".aws", file)); err == nil {
			return true
		}
	}
	return false
}
