package engine

import (
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// Replies come from the catalogue (internal/words), in the speaker's
// language: no reply is written as a pair of literals at its call site.

// w is the catalogue's text key in the speaker's language.
func (s *session) w(key string, args words.Args) string { return words.Get(s.lang, key, args) }

// sayKey replies with the catalogue's text key.
func (s *session) sayKey(key string, args words.Args) {
	s.out = append(s.out, bot.Reply{Body: s.w(key, args)})
}

// refuse is a refusal of what was typed into field: the catalogue's
// text key, written in the reader's language where it becomes a reply
// (words.Refusal).
func refuse(code bot.Code, field, key string, args words.Args) *bot.Error {
	return bot.RefuseField(code, field, key, bot.Args(args))
}

// refusal is what err says to the speaker, in their language, naming
// people as the directory does (bot.Who): refusals are written by bot,
// which knows ids only.
func (s *session) refusal(err error) string { return words.RefusalNamed(s.lang, err, s.name) }
