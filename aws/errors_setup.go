package aws

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// explainSetup words the errors of choosing and reaching an account: what
// is missing and what to do, with the SDK's own words only as a detail.
func explainSetup(err error) (string, bool) {
	var noProfile config.SharedConfigProfileNotExistError
	var probe *probeError
	switch {
	case errors.Is(err, ErrNoRegion):
		return "no AWS region configured: pass --region, set AWS_REGION, or add a region to your profile in ~/.aws/config", true
	case errors.As(err, &noProfile):
		files := "~/.aws/config or ~/.aws/credentials (or the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name)"
		if len(noProfile.Filename) > 0 {
			files = strings.Join(noProfile.Filename, " or ")
		}
		return fmt.Sprintf("there is no AWS profile named %q in %s: check the name (`aws configure list-profiles` lists them)",
			noProfile.Profile, files), true
	case errors.As(err, &probe):
		return explainProbe(probe), true
	}
	return "", false
}

func explainProbe(e *probeError) string {
	switch e.kind {
	case ErrNoCredentials:
		return "no AWS credentials found: lambdatune looked for AWS_ACCESS_KEY_ID, a profile's keys, SSO or " +
			"credential_process in ~/.aws/config and ~/.aws/credentials, and an EC2 or ECS role. " +
			"Run `aws configure` or `aws sso login`, or pass --profile NAME"
	case ErrCredentials:
		return "AWS credentials are configured but could not be had; refresh them (e.g. `aws sso login`) and try again (" +
			e.cause.Error() + ")"
	}
	return "not an AWS Lambda endpoint: " + e.words + ". Give --endpoint-url the AWS endpoint of a sandbox — " +
		"`lambdatune sandbox` prints it as \"AWS endpoint: http://127.0.0.1:4566\" — not its products API (…/Prod)"
}
