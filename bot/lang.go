package bot

import "strings"

// Lang is a language people read collabot in.
type Lang string

const (
	Chinese Lang = "zh-CN"
	English Lang = "en"
)

// ParseLang accepts the spellings people and operators actually use
// ("zh", "zh-CN", "中文", "en", "en-US", "English").
func ParseLang(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "zh", "zh-cn", "zh_cn", "zh-hans", "cn", "chinese", "中文":
		return Chinese, true
	case "en", "en-us", "en-gb", "en_us", "english", "英文":
		return English, true
	}
	return "", false
}

// Text is a message in both languages the bot speaks.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text in lang, falling back to the other language when a
// translation is missing so a user never sees an empty message.
func (t Text) In(lang Lang) string {
	if lang == English {
		if t.EN != "" {
			return t.EN
		}
		return t.ZH
	}
	if t.ZH != "" {
		return t.ZH
	}
	return t.EN
}
