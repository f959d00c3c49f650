package slack

import (
	"net/http"
	"testing"
)

type tracing struct{ http.RoundTripper }

// A program that wrapped Go's default transport (tracing, a proxy of its
// own) still gets an adapter, with the idle connections it needs.
func TestWebTransportWithAReplacedDefault(t *testing.T) {
	old := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = old })
	http.DefaultTransport = tracing{old}
	if got := webTransport().MaxIdleConnsPerHost; got != idleConns {
		t.Errorf("MaxIdleConnsPerHost = %d, want %d", got, idleConns)
	}
}
