package dispatch

import (
	"strings"

	"github.com/collabot/collabot/bot"
)

// route is where one notification goes: the sender, and the keys whose
// rates it spends.
type route struct {
	sender    bot.Sender
	platform  bot.Platform
	channel   string // "channel:slack:C0123" or "channel:slack:@U0BOB"
	workspace string // "workspace:slack:acme"
}

// route picks the platform for a notification: a person's first account
// on a platform this process sends to, a group's own platform (the prefix
// of "slack:C0123"), else the fallback (the terminal prints everything).
// Without any it reports bot.ErrUndeliverable: the row is kept, never
// dropped, in case an adapter or an identity is added.
func (d *Dispatcher) route(ws bot.Workspace, n bot.Notification) (route, error) {
	var s bot.Sender
	var where string // the channel on s's platform
	if n.To != "" {
		for _, a := range n.Accounts {
			if s = d.senders[a.Platform]; s != nil {
				where = "@" + a.ID
				break
			}
		}
	} else if platform, channel, ok := strings.Cut(n.Group, ":"); ok {
		if s = d.senders[bot.Platform(platform)]; s != nil {
			where = channel
		}
	}
	if s == nil && d.fallback != nil {
		s = d.fallback
		where = n.Group
		if n.To != "" {
			where = "@" + string(n.To)
		}
	}
	if s == nil {
		return route{}, bot.ErrUndeliverable
	}
	p := s.Platform()
	return route{
		sender:    s,
		platform:  p,
		channel:   "channel:" + string(p) + ":" + where,
		workspace: "workspace:" + string(p) + ":" + string(ws),
	}, nil
}
