package dingtalk

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/logger"

	"github.com/collabot/collabot/bot"
)

// The SDK logs through one package-level logger. Its debug lines print the
// connection request with the client secret and every frame with message
// bodies, and its info lines the connection ticket, so only warnings and
// errors are forwarded, with any known secret masked as a second guard.
var sdkLog struct {
	once    sync.Once
	mu      sync.RWMutex
	log     *slog.Logger
	secrets []string
}

// installSDKLogger points the SDK's logging at log: the latest adapter
// built wins, which in a process with one DingTalk app is the only one.
func installSDKLogger(log *slog.Logger, secret string) {
	sdkLog.mu.Lock()
	sdkLog.log = log.With("component", "stream-sdk")
	if secret != "" && !contains(sdkLog.secrets, secret) {
		sdkLog.secrets = append(sdkLog.secrets, secret)
	}
	sdkLog.mu.Unlock()
	sdkLog.once.Do(func() { logger.SetLogger(sdkForwarder{}) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sdkForwarder implements the SDK's logger.ILogger.
type sdkForwarder struct{}

func (sdkForwarder) Debugf(string, ...any) {}
func (sdkForwarder) Infof(string, ...any)  {}
func (sdkForwarder) Warningf(format string, args ...any) {
	emit(slog.LevelWarn, format, args)
}
func (sdkForwarder) Errorf(format string, args ...any) { emit(slog.LevelError, format, args) }

// Fatalf only logs: a library must not end the process.
func (sdkForwarder) Fatalf(format string, args ...any) { emit(slog.LevelError, format, args) }

func emit(level slog.Level, format string, args []any) {
	sdkLog.mu.RLock()
	log, secrets := sdkLog.log, sdkLog.secrets
	sdkLog.mu.RUnlock()
	if log == nil || !log.Enabled(context.Background(), level) {
		return
	}
	msg := fmt.Sprintf(format, args...)
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "***")
	}
	log.Log(context.Background(), level, "stream sdk: "+bot.Truncate(msg, 500))
}
