package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// A board link carries a token: who may look (a person of a workspace)
// and until when, signed with HMAC-SHA256 under COLLABOT_WEB_SECRET. No
// account, no server-side session: the signature is the whole proof, so a
// changed byte anywhere makes it worthless.
//
//	v1.<base64url(workspace \n person \n expiry-unix)>.<base64url(hmac)>

// DefaultTTL is how long a link works when the configuration says nothing.
const DefaultTTL = 7 * 24 * time.Hour

// MinSecretBytes is the shortest secret the board accepts: shorter ones
// can be guessed offline from a single link.
const MinSecretBytes = 32

// maxTokenBytes bounds what is decoded at all; a real token is ~100 bytes.
const maxTokenBytes = 1024

const tokenVersion = "v1"

// Why a token is refused.
var (
	ErrTokenInvalid   = errors.New("web: token altered or malformed")
	ErrTokenExpired   = errors.New("web: token expired")
	ErrTokenWorkspace = errors.New("web: token of another workspace")
)

// Claims are what a valid token says.
type Claims struct {
	Workspace bot.Workspace
	Person    bot.PersonID
	Expires   time.Time
}

// Signer makes and checks tokens.
type Signer struct {
	secret []byte
	ttl    time.Duration
}

// NewSigner refuses a secret too short to protect the board.
func NewSigner(secret string, ttl time.Duration) (*Signer, error) {
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("web: COLLABOT_WEB_SECRET must be at least %d bytes (it is %d); generate one with `openssl rand -hex 32`",
			MinSecretBytes, len(secret))
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Signer{secret: []byte(secret), ttl: ttl}, nil
}

// TTL is how long the tokens it signs work.
func (s *Signer) TTL() time.Duration { return s.ttl }

// Sign makes a token for the person, valid from now for the TTL.
func (s *Signer) Sign(ws bot.Workspace, p bot.PersonID, now time.Time) (string, time.Time) {
	exp := now.Add(s.ttl).Truncate(time.Second)
	body := string(ws) + "\n" + string(p) + "\n" + strconv.FormatInt(exp.Unix(), 10)
	payload := base64.RawURLEncoding.EncodeToString([]byte(body))
	return tokenVersion + "." + payload + "." + s.mac(payload), exp
}

func (s *Signer) mac(payload string) string {
	h := hmac.New(sha256.New, s.secret)
	// The version and a purpose label are signed too, so a signature made
	// for anything else under the same secret never passes for a link.
	h.Write([]byte("collabot-board-link\n" + tokenVersion + "\n" + payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// Verify checks a token at now. An expired token that is otherwise
// genuine still returns its claims with ErrTokenExpired, so the refusal
// can be written in the person's language.
func (s *Signer) Verify(token string, now time.Time) (Claims, error) {
	if len(token) > maxTokenBytes {
		return Claims{}, ErrTokenInvalid
	}
	version, rest, ok := strings.Cut(token, ".")
	payload, sig, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || version != tokenVersion {
		return Claims{}, ErrTokenInvalid
	}
	if !hmac.Equal([]byte(sig), []byte(s.mac(payload))) {
		return Claims{}, ErrTokenInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return Claims{}, ErrTokenInvalid
	}
	parts := strings.Split(string(raw), "\n")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return Claims{}, ErrTokenInvalid
	}
	unix, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return Claims{}, ErrTokenInvalid
	}
	c := Claims{Workspace: bot.Workspace(parts[0]), Person: bot.PersonID(parts[1]), Expires: time.Unix(unix, 0)}
	if !now.Before(c.Expires) {
		return c, ErrTokenExpired
	}
	return c, nil
}
