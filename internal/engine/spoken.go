package engine

import (
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
)

// A notice's commands travel in their canonical English form as button
// values, which every platform sends back unchanged. Where they are shown
// as text — written out in a DingTalk group, where a click does not reach
// the robot, or in the terminal — a Chinese reader should read and type
// Chinese: spoken translates a canonical command word by word, with the
// same tables the router reads, so what it writes is what the router takes.

// decisionWords are the words after a command's reference that are not
// sub-commands of the task, meeting and risk tables.
var decisionWords = map[string]map[string]string{
	"ack":    {"accept": "承接", "decline": "无法承接", "info": "需补充信息", "details": "详情"},
	"review": {"approve": "通过", "reject": "驳回"},
	"accept": {"pass": "通过", "fail": "不通过"},
	"board":  {"web": "网页"},
}

// subTables are the sub-commands of commands on one item (T-n, M-n, R-n).
var subTables = map[string][]sub{"task": taskSubs, "meeting": meetingSubs, "risk": riskSubs}

// spoken writes cmd in lang: "ack COL-1 研发部 accept" becomes
// "确认 COL-1 研发部 承接" in Chinese. Words it does not know (references,
// departments, values) are kept.
func (e *Engine) spoken(cmd string, lang bot.Lang) string {
	if lang != bot.Chinese {
		return cmd
	}
	words := strings.Fields(cmd)
	if len(words) == 0 {
		return cmd
	}
	// A notice may write a command by another of its English names
	// ("confirm M-1" is ack's): look those up too, and read the words
	// after it with the tables of the command's first name.
	i := slices.IndexFunc(e.commands, func(c command) bool { return c.names[0] == words[0] })
	if i < 0 {
		i = slices.IndexFunc(e.commands, func(c command) bool { return slices.Contains(c.names, words[0]) })
	}
	if i < 0 {
		return cmd
	}
	name := e.commands[i].names[0]
	out := []string{chineseName(e.commands[i].names)}
	for _, w := range words[1:] {
		out = append(out, spokenWord(name, w))
	}
	return strings.Join(out, " ")
}

func spokenWord(command, w string) string {
	if zh, ok := decisionWords[command][w]; ok {
		return zh
	}
	for _, s := range subTables[command] {
		if len(s.words) > 1 && s.words[0] == w {
			return chineseName(s.words)
		}
	}
	if sev, err := bot.ParseSeverity(w); err == nil && command == "risk" {
		return sev.Label(bot.Chinese)
	}
	if w == "add" {
		return "新建" // addWords: every command that adds something takes it
	}
	return w
}

// chineseName is the first Chinese name among a command's names.
func chineseName(names []string) string {
	for _, n := range names[1:] {
		if strings.IndexFunc(n, func(r rune) bool { return r > 0x2E80 }) >= 0 {
			return n
		}
	}
	return names[0]
}
