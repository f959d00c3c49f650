package dingtalk_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/internal/testkit"
)

// TestBadSecret: refused credentials end Run at once with an error that
// says what to fix; nothing connects, nothing loops.
func TestBadSecret(t *testing.T) {
	e := newEnv(t, func(o *dingtalk.Options) { o.ClientSecret = "not-the-secret" })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := e.ad.Run(ctx)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("Run: %v (context: %v)", err, ctx.Err())
	}
	for _, want := range []string{"refused the app credentials", "COLLABOT_DINGTALK_CLIENT_SECRET", "invalidClientSecret"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "not-the-secret") {
		t.Errorf("the error shows the secret: %v", err)
	}
	if e.ad.Connected() {
		t.Error("connected with a bad secret")
	}
	e.fake.Read(func(v *dingtest.View) {
		if v.Connects() != 0 {
			t.Errorf("%d connections with a bad secret", v.Connects())
		}
	})
}

// TestGatewayUnreachable: an unreachable gateway is retried until Run's
// context ends, which is then its error.
func TestGatewayUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	e := newEnv(t, func(o *dingtalk.Options) { o.APIURL = "http://" + addr })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := e.ad.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run: %v, want the context's deadline", err)
	}
}

// TestLogsKeepSecrets: with the log at debug, through connecting,
// callbacks, sends and a dropped connection, neither the client secret
// nor an access token nor a connection ticket is written, while the SDK's
// errors are.
func TestLogsKeepSecrets(t *testing.T) {
	var buf testkit.SyncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, func(o *dingtalk.Options) { o.Log = log })
	e.run()
	e.say(launch, amy, "发起协作", "协作主题")
	if err := e.ad.Send(t.Context(), toPerson(1, "任务")); err != nil {
		t.Fatal(err)
	}
	e.fake.Drop()
	e.say(launch, amy, "新品推广接口调试", "协作背景与目标")
	testkit.Eventually(t, "the SDK's error about the dropped connection", func() bool {
		return strings.Contains(buf.String(), "stream sdk:")
	})
	out := buf.String()
	for _, secret := range []string{e.fake.ClientSecret, "tok-0", "ticket-0"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %q:\n%s", secret, out)
		}
	}
	if strings.Contains(out, "新品推广接口调试") {
		t.Errorf("the log shows a message body:\n%s", out)
	}
}
