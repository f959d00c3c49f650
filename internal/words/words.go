// Package words is collabot's catalogue of what people read: one file per
// language (zh-CN.yaml, en.yaml), each key named for its meaning
// ("notice.ack_accepted.title") and each value a text with named
// placeholders ("{department} 已承接「{topic}」。") a translator may
// reorder freely.
//
// The catalogue is YAML rather than Go maps because the people who
// correct the wording are not always Go programmers: a YAML file reads as
// a list of sentences, keeps multi-line texts readable and diffs line by
// line per language.
package words

import (
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/collabot/collabot/bot"
)

//go:embed zh-CN.yaml en.yaml types.zh-CN.yaml types.en.yaml
var files embed.FS

// Langs are the languages the catalogue must cover, each with its file.
var Langs = map[bot.Lang]string{bot.Chinese: "zh-CN.yaml", bot.English: "en.yaml"}

// Args fill a text's placeholders. A value is written in the text's
// language when it is a bot.Text (a span, a status label), otherwise with
// fmt.Sprint.
type Args map[string]any

// catalogue is every language's texts by key. The files are embedded and
// checked by this package's tests, so a file that does not parse is a
// build that never ships: failing at start-up, like template.Must, is
// right for it.
var catalogue = func() map[bot.Lang]map[string]string {
	out := map[bot.Lang]map[string]string{}
	for lang, name := range Langs {
		m, err := load(name)
		if err != nil {
			panic(err)
		}
		out[lang] = m
	}
	return out
}()

// load reads one language's file into dotted keys, with its companion
// "types.<file>" (the collaboration types' texts) merged in: a key may be
// in only one of them.
func load(name string) (map[string]string, error) {
	out := map[string]string{}
	for _, file := range []string{name, "types." + name} {
		raw, err := files.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("words: %w", err)
		}
		var tree map[string]any
		if err := yaml.Unmarshal(raw, &tree); err != nil {
			return nil, fmt.Errorf("words: %s: %w", file, err)
		}
		part := map[string]string{}
		if err := flatten("", tree, part); err != nil {
			return nil, fmt.Errorf("words: %s: %w", file, err)
		}
		for k, v := range part {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("words: %s: %s is also in %s", file, k, name)
			}
			out[k] = v
		}
	}
	return out, nil
}

func flatten(prefix string, tree map[string]any, out map[string]string) error {
	for k, v := range tree {
		key := prefix + k
		switch v := v.(type) {
		case string:
			out[key] = v
		case map[string]any:
			if err := flatten(key+".", v, out); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s is a %T, not a text (quote it)", key, v)
		}
	}
	return nil
}

// placeholder is "{name}"; other braces are the text's own.
var placeholder = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// Get is the text of key in lang with its placeholders filled. A key
// missing in lang falls back to the other language, and one missing in
// both shows as nothing: people get a message with a gap rather than
// none, the log names the key, and Missing lets the tests fail.
func Get(lang bot.Lang, key string, args Args) string { return get(lang, key, args, nil) }

// Namer is how the reader's directory names a person: their display name,
// the id when it does not know them (bot.Directory.Name).
type Namer func(bot.PersonID) string

// get is Get with the people a text names (bot.Who) written by name; a
// nil name writes their ids.
func get(lang bot.Lang, key string, args Args, name Namer) string {
	s, ok := catalogue[lang][key]
	if !ok {
		miss(lang, key)
		other := bot.English
		if lang == bot.English {
			other = bot.Chinese
		}
		if s, ok = catalogue[other][key]; !ok {
			return ""
		}
		lang = other
	}
	return fill(lang, key, s, args, name)
}

// Text is key in every language, for texts built before their reader's
// language is known (a notice's title, body and buttons).
func Text(key string, args Args) bot.Text {
	return bot.Text{ZH: Get(bot.Chinese, key, args), EN: Get(bot.English, key, args)}
}

func fill(lang bot.Lang, key, s string, args Args, name Namer) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		field := m[1 : len(m)-1]
		v, ok := args[field]
		if !ok {
			miss(lang, key+" {"+field+"}")
			return ""
		}
		return value(lang, v, name)
	})
}

// value is a placeholder's value in lang: wording (a bot.Text, a bot.Msg,
// a bot.List) in that language, a person (bot.Who) as name names them,
// anything else as fmt.Sprint writes it.
func value(lang bot.Lang, v any, name Namer) string {
	switch v := v.(type) {
	case string:
		return v
	case bot.Text:
		return v.In(lang)
	case bot.Msg:
		return get(lang, v.Key, Args(v.Args), name)
	case bot.Who:
		if name == nil {
			return string(v)
		}
		return name(bot.PersonID(v))
	case bot.List:
		items := make([]string, len(v))
		for i, it := range v {
			items[i] = value(lang, it, name)
		}
		return strings.Join(items, Get(lang, "format.join", nil))
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(v)
}

// Msg is what m says in lang: its key's text with its placeholders
// filled.
func Msg(lang bot.Lang, m bot.Msg) string { return Get(lang, m.Key, Args(m.Args)) }

// Refusal is what the person whose command failed reads in lang: a
// refusal's message, or an apology for a failure of ours (its cause
// belongs in the operator's log, not in the chat). People it names are
// written by id: a reply names them with RefusalNamed.
func Refusal(lang bot.Lang, err error) string { return RefusalNamed(lang, err, nil) }

// RefusalNamed is Refusal with the people it names (bot.Who) written as
// the reader's directory names them — a refusal reads like the notices
// and replies around it ("只有决策人(林莉 Lily、Henry Zhou)…", not
// "(lily, henry)").
func RefusalNamed(lang bot.Lang, err error, name Namer) string {
	var e *bot.Error
	if errors.As(err, &e) {
		return get(lang, e.Msg.Key, Args(e.Msg.Args), name)
	}
	return Get(lang, "refuse.internal", nil)
}

// The catalogue writes refusals for bot's logs too (bot.Error.Error).
func init() { bot.SetWriter(Msg) }

// Placeholders lists the names a text expects, sorted.
func Placeholders(s string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return names
}

// Keys lists the keys of lang's file, sorted.
func Keys(lang bot.Lang) []string {
	var keys []string
	for k := range catalogue[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Has says whether key has a text in lang.
func Has(lang bot.Lang, key string) bool {
	_, ok := catalogue[lang][key]
	return ok
}

// Raw is the unfilled text of key in lang, for the tests.
func Raw(lang bot.Lang, key string) string { return catalogue[lang][key] }

var (
	missedMu sync.Mutex
	missed   = map[string]bool{}
)

func miss(lang bot.Lang, what string) {
	missedMu.Lock()
	first := !missed[string(lang)+" "+what]
	missed[string(lang)+" "+what] = true
	missedMu.Unlock()
	if first {
		slog.Default().Warn("words: no text", "lang", lang, "key", what)
	}
}

// Missing lists every key (or "key {placeholder}") a text was asked for
// and not found since the process started, as "lang key": a test that
// renders every message fails when it is not empty.
func Missing() []string {
	missedMu.Lock()
	defer missedMu.Unlock()
	var out []string
	for k := range missed {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// With is a copy of a with extra's placeholders added (or replaced).
func (a Args) With(extra Args) Args {
	out := make(Args, len(a)+len(extra))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}
