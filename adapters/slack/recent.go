package slack

import (
	"context"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// nameBook caches display names from users.info, at most n of them; a
// name is only shown to greet a newcomer, so a stale one does no harm.
type nameBook struct {
	mu    sync.Mutex
	names map[string]string
	max   int
}

func newNameBook(n int) *nameBook { return &nameBook{names: map[string]string{}, max: n} }

func (b *nameBook) get(user string) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, ok := b.names[user]
	return n, ok
}

func (b *nameBook) put(user, name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.names) >= b.max {
		clear(b.names) // rare, and refilled one lookup at a time
	}
	b.names[user] = name
}

// nameLookup bounds users.info on the ack path: a name is nice to have,
// an ack in time is not optional.
const nameLookup = time.Second

// nameOf is the display name of a Slack user the directory does not know,
// from users.info, cached; "" when Slack does not answer in time.
func (a *Adapter) nameOf(ctx context.Context, user string) string {
	if a.opts.Directory != nil {
		if _, ok := a.opts.Directory.ByIdentity(bot.Slack, user); ok {
			return "" // the engine knows the name from the directory
		}
	}
	if n, ok := a.names.get(user); ok {
		return n
	}
	ctx, cancel := context.WithTimeout(ctx, nameLookup)
	defer cancel()
	u, err := a.api.GetUserInfoContext(ctx, user)
	if err != nil {
		a.log.Debug("users.info failed", "user", user, "err", err)
		return ""
	}
	name := firstNonEmpty(u.Profile.DisplayName, u.RealName, u.Profile.RealName, u.Name)
	a.names.put(user, name)
	return name
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
