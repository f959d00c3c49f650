package slack

import (
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
)

// formSpec is a command that opens a form: the template, the command line
// the engine gets back in front of the answers, and what the command
// itself already answers ("ack COL-1 decline" answers decision).
type formSpec struct {
	Form    string
	Command string
	Values  map[string]string
	Refs    []string // the identifiers named, shown atop the modal
}

// formCommand is one command of the engine that opens a form; read
// reports which form for the given arguments, or false when the command
// acts at once ("accept COL-1 pass") or carries text of its own.
type formCommand struct {
	names []string
	read  func(a *args) (form string, ok bool)
}

// formCommands mirror the engine's router (internal/engine/router.go and
// commands.go) for the commands that open a form: a modal can only be
// opened while Slack's trigger_id lives, before the engine is asked.
var formCommands = []formCommand{
	{[]string{"new", "发起协作", "发起", "新建协作"}, func(a *args) (string, bool) { return "request", a.done() }},
	{[]string{"ack", "确认", "对接确认", "confirm"}, func(a *args) (string, bool) {
		if !a.ref(bot.KindCollab) {
			return "", false // "确认" alone is also how a form is confirmed
		}
		a.choice("decision", ackWords)
		a.departments()
		return "acknowledgement", a.done()
	}},
	{[]string{"review", "初审"}, func(a *args) (string, bool) {
		a.ref(bot.KindCollab)
		if a.word(approveWords) {
			return "", false // approving needs no form
		}
		if a.word(rejectWords) {
			a.values["decision"] = "reject"
		}
		return "review", a.done()
	}},
	{[]string{"task", "任务"}, func(a *args) (string, bool) {
		if !a.word(addWords) {
			return "", false // "task T-3 done" acts at once
		}
		a.ref(bot.KindCollab)
		return "task", a.done()
	}},
	{[]string{"update", "进度更新", "进度", "日报"}, func(a *args) (string, bool) {
		a.ref(bot.KindCollab)
		return "progress", a.done()
	}},
	{[]string{"meeting", "会议"}, func(a *args) (string, bool) {
		if a.word(addWords) {
			a.ref(bot.KindCollab)
			return "meeting", a.done()
		}
		if !a.ref(bot.KindMeeting) {
			return "", false
		}
		switch {
		case a.word([]string{"agenda", "议程"}):
			return "agenda", a.done()
		case a.word([]string{"minutes", "纪要"}):
			return "minutes", a.done()
		}
		return "", false
	}},
	{[]string{"risk", "风险", "问题"}, func(a *args) (string, bool) {
		if a.word(append([]string{"上报"}, addWords...)) {
			a.ref(bot.KindCollab)
			return "risk", a.done()
		}
		if a.ref(bot.KindRisk) && a.word([]string{"respond", "响应", "答复"}) {
			return "risk_response", a.done()
		}
		return "", false
	}},
	{[]string{"deliver", "提交成果", "交付"}, func(a *args) (string, bool) {
		a.ref(bot.KindCollab)
		return "delivery", a.done()
	}},
	{[]string{"accept", "验收"}, func(a *args) (string, bool) {
		a.ref(bot.KindCollab)
		if a.word(passWords) {
			return "", false // a pass is decided at once
		}
		a.choice("verdict", failWords)
		return "acceptance", a.done()
	}},
	{[]string{"retro", "复盘"}, func(a *args) (string, bool) {
		a.ref(bot.KindCollab)
		return "retrospective", a.done()
	}},
}

var (
	addWords     = []string{"add", "new", "新建", "添加", "安排"}
	approveWords = []string{"approve", "pass", "通过", "同意", "批准"}
	rejectWords  = []string{"reject", "驳回", "退回", "不通过"}
	passWords    = []string{"pass", "通过", "验收通过"}
	failWords    = map[string][]string{"fail": {"fail", "failed", "不通过", "验收不通过"}}
	ackWords     = map[string][]string{
		"accept":  {"accept", "accepted", "承接", "接受", "同意"},
		"decline": {"decline", "declined", "无法承接", "不承接", "拒绝"},
		"info":    {"info", "needs_info", "need_info", "需补充信息", "需补充", "补充信息"},
	}
)

// commandPrefixes are what people put before a command; the engine strips
// the same ones.
var commandPrefixes = []string{"/collab", "collab", "/协作", "协作"}

// formFor reports whether text is a command that opens a form, and which.
func formFor(text string, dir *bot.Directory) (formSpec, bool) {
	s := strings.TrimSpace(text)
	if strings.Contains(s, "\n") {
		return formSpec{}, false // a pasted form: the engine reads it as it is
	}
	for _, p := range commandPrefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) && (len(s) == len(p) || s[len(p)] == ' ') {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	words := joinRefs(strings.Fields(s))
	if len(words) == 0 {
		return formSpec{}, false
	}
	name := strings.ToLower(words[0])
	for _, c := range formCommands {
		if !slices.Contains(c.names, name) {
			continue
		}
		a := &args{words: slices.Clone(words[1:]), values: map[string]string{}, dir: dir}
		form, ok := c.read(a)
		if !ok {
			return formSpec{}, false
		}
		return formSpec{Form: form, Command: strings.Join(words, " "), Values: a.values, Refs: a.refs}, true
	}
	return formSpec{}, false
}

// args are a command's words, consumed as they are recognised; a command
// opens a form only if every word was.
type args struct {
	words  []string
	values map[string]string
	refs   []string
	dir    *bot.Directory
}

func (a *args) done() bool { return len(a.words) == 0 }

// ref takes the first identifier of kind.
func (a *args) ref(kind bot.IDKind) bool {
	for i, w := range a.words {
		if _, err := bot.ParseRef(kind, w); err == nil {
			a.refs = append(a.refs, strings.ToUpper(w))
			a.words = slices.Delete(a.words, i, i+1)
			return true
		}
	}
	return false
}

// word takes the first word that is one of ws.
func (a *args) word(ws []string) bool {
	for i, w := range a.words {
		if slices.Contains(ws, strings.ToLower(w)) {
			a.words = slices.Delete(a.words, i, i+1)
			return true
		}
	}
	return false
}

// choice takes a word naming one of a choice field's values.
func (a *args) choice(field string, values map[string][]string) {
	for v, ws := range values {
		if a.word(ws) {
			a.values[field] = v
			return
		}
	}
}

// departments takes the words naming departments ("ack COL-1 研发部").
func (a *args) departments() {
	if a.dir == nil {
		return
	}
	a.words = slices.DeleteFunc(a.words, func(w string) bool {
		_, ok := a.dir.Department(w)
		return ok
	})
}

// joinRefs reads "COL 3" as one word, as the engine does.
func joinRefs(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		up := strings.ToUpper(strings.TrimRight(words[i], "-－"))
		if (up == "COL" || up == "T" || up == "M" || up == "R") && i+1 < len(words) && isDigits(words[i+1]) {
			out = append(out, up+"-"+words[i+1])
			i++
			continue
		}
		out = append(out, words[i])
	}
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
