package web

import (
	"fmt"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// catalogue is the words in one language, for templates: {{.W.T "key"}}.
type catalogue struct{ lang bot.Lang }

// T is the text of key (a page.* key of internal/words) in the page's
// language.
func (c catalogue) T(key string) string { return words.Get(c.lang, key, nil) }

// F is the text of key with its placeholders {v1}, {v2}… filled with
// args in order.
func (c catalogue) F(key string, args ...any) string {
	a := make(words.Args, len(args))
	for i, v := range args {
		a[fmt.Sprintf("v%d", i+1)] = v
	}
	return words.Get(c.lang, key, a)
}

// Lang is the language's tag for <html lang>.
func (c catalogue) Lang() string {
	if c.lang == bot.English {
		return "en"
	}
	return "zh-CN"
}
