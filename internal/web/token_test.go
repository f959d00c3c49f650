package web_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/web"
)

func TestTokenSignAndVerify(t *testing.T) {
	s, err := web.NewSigner(secret, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.TTL() != 7*24*time.Hour {
		t.Errorf("default TTL %v, want 7 days", s.TTL())
	}
	tok, exp := s.Sign("demo", "amy", monday)
	c, err := s.Verify(tok, monday.Add(time.Hour))
	if err != nil || c.Person != "amy" || c.Workspace != "demo" || !c.Expires.Equal(exp) {
		t.Fatalf("verify: %+v %v", c, err)
	}
	other, _ := web.NewSigner(strings.Repeat("x", 40), 0)
	flip := func(i int) string {
		b := []byte(tok)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	payloadAt := strings.Index(tok, ".") + 3
	tests := []struct {
		name  string
		token string
		s     *web.Signer
		at    time.Time
		want  error
	}{
		{"a byte of the payload changed", flip(payloadAt), s, monday, web.ErrTokenInvalid},
		{"a byte of the signature changed", flip(len(tok) - 2), s, monday, web.ErrTokenInvalid},
		{"cut short", tok[:len(tok)-5], s, monday, web.ErrTokenInvalid},
		{"another secret", tok, other, monday, web.ErrTokenInvalid},
		{"another version", "v2" + tok[2:], s, monday, web.ErrTokenInvalid},
		{"empty", "", s, monday, web.ErrTokenInvalid},
		{"garbage", "v1.%%%.###", s, monday, web.ErrTokenInvalid},
		{"huge", strings.Repeat("v1.", 100000), s, monday, web.ErrTokenInvalid},
		{"expired at the second", tok, s, exp, web.ErrTokenExpired},
		{"expired a week later", tok, s, monday.Add(8 * 24 * time.Hour), web.ErrTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.s.Verify(tt.token, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if errors.Is(err, web.ErrTokenInvalid) && c.Person != "" {
				t.Errorf("an invalid token still named %q", c.Person)
			}
		})
	}
	// Another person's name cannot be swapped in: the payload is signed.
	forged := strings.Replace(tok, strings.Split(tok, ".")[1], strings.Split(mustSign(t, "demo", "lily"), ".")[1], 1)
	if _, err := s.Verify(forged, monday); !errors.Is(err, web.ErrTokenInvalid) {
		t.Errorf("a payload moved from another token: %v", err)
	}
}

// mustSign is a genuine token under another secret.
func mustSign(t *testing.T, ws, p string) string {
	s, err := web.NewSigner(strings.Repeat("y", 40), 0)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := s.Sign(bot.Workspace(ws), bot.PersonID(p), monday)
	return tok
}

func TestShortSecretRefused(t *testing.T) {
	if _, err := web.NewSigner("short", 0); err == nil || !strings.Contains(err.Error(), "COLLABOT_WEB_SECRET") {
		t.Errorf("a 5-byte secret: %v", err)
	}
	if _, err := web.NewSigner("", 0); err == nil {
		t.Error("an empty secret was accepted")
	}
}
