package aws

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
)

// sdkLogger hands the SDK's own log lines (such as "falling back to IMDSv1")
// to lambdatune's log file. Without it the SDK writes them to the terminal,
// where the console draws.
type sdkLogger struct{ log *slog.Logger }

// Logf implements logging.Logger.
func (l sdkLogger) Logf(classification logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if classification == logging.Warn {
		level = slog.LevelWarn
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(format, v...), "from", "aws-sdk-go-v2")
}
