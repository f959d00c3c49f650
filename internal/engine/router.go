package engine

import (
	"context"
	"strings"
	"unicode"

	"github.com/collabot/collabot/bot"
)

// command is one entry of the router: its names in English and Chinese,
// what it takes, and what it does. A command with sub-commands ("task add",
// "task T-3 done") dispatches them itself.
type command struct {
	names []string
	usage string // arguments, e.g. "COL-n accept|decline|info"
	help  bot.Text
	run   func(ctx context.Context, s *session, in input) error
}

// input is a command message taken apart: the words of its first line
// after the command name, and the lines after it (a pasted form).
type input struct {
	args []string
	rest string // the first line after the command name, untokenised
	body string // the lines after the first
}

func (in input) arg(i int) string {
	if i < len(in.args) {
		return in.args[i]
	}
	return ""
}

// form is the text a form may be pasted in: the rest of the first line
// after the given number of arguments, and the following lines.
func (in input) form(skip int) string {
	first := in.rest
	for i := 0; i < skip && first != ""; i++ {
		first = strings.TrimSpace(strings.TrimPrefix(first, in.arg(i)))
	}
	return strings.TrimSpace(first + "\n" + in.body)
}

func commandTable() []command {
	return []command{
		{[]string{"help", "帮助", "?", "？"}, "", bot.Text{ZH: "查看命令", EN: "list the commands"}, cmdHelp},
		{[]string{"new", "发起协作", "发起", "新建协作"}, "", bot.Text{ZH: "发起协作需求(可直接粘贴填好的表)", EN: "file a collaboration request (paste a filled form or answer step by step)"}, cmdNew},
		{[]string{"list", "我的协作", "列表"}, "[all]", bot.Text{ZH: "我参与的协作", EN: "collaborations you are part of"}, cmdList},
		{[]string{"show", "查看"}, "COL-n", bot.Text{ZH: "查看协作记录表", EN: "show the record sheet"}, cmdShow},
		{[]string{"board", "看板", "进度看板"}, "[COL-n]", bot.Text{ZH: "进度看板", EN: "progress board"}, cmdBoard},
		{[]string{"ack", "确认", "对接确认"}, "COL-n accept|decline|info", bot.Text{ZH: "对接确认:承接/无法承接/需补充信息", EN: "acknowledge: accept / decline / needs info"}, cmdAck},
		{[]string{"answer", "补充", "答复"}, "COL-n <部门/department> <text>", bot.Text{ZH: "回答部门的补充信息请求", EN: "answer a department's question"}, cmdAnswer},
		{[]string{"review", "初审"}, "COL-n approve|reject", bot.Text{ZH: "需求初审", EN: "first review of a request"}, cmdReview},
		{[]string{"task", "任务"}, "add COL-n | T-n start|help|block|done [note]", bot.Text{ZH: "新建任务 / 更新任务状态", EN: "add a task / change a task's status"}, cmdTask},
		{[]string{"tasks", "任务列表", "我的任务"}, "[mine|COL-n]", bot.Text{ZH: "任务列表", EN: "list tasks"}, cmdTasks},
		{[]string{"update", "进度更新", "进度", "日报"}, "[COL-n]", bot.Text{ZH: "提交今日进度", EN: "post today's progress"}, cmdUpdate},
		{[]string{"meeting", "会议"}, "new COL-n | M-n agenda|minutes|confirm|cancel", bot.Text{ZH: "安排会议 / 议程 / 纪要 / 确认纪要", EN: "schedule a meeting / agenda / minutes / confirm minutes"}, cmdMeeting},
		{[]string{"risk", "风险", "问题"}, "new COL-n | R-n respond|resolve", bot.Text{ZH: "上报问题或风险 / 响应 / 解决", EN: "raise an issue or risk / respond / resolve"}, cmdRisk},
		{[]string{"deliver", "提交成果", "交付"}, "COL-n", bot.Text{ZH: "提交成果交付清单", EN: "submit deliverables"}, cmdDeliver},
		{[]string{"accept", "验收"}, "COL-n pass|fail", bot.Text{ZH: "验收:通过/不通过", EN: "acceptance: pass / fail"}, cmdAccept},
		{[]string{"retro", "复盘"}, "COL-n", bot.Text{ZH: "提交复盘", EN: "write the retrospective"}, cmdRetro},
		{[]string{"archive", "归档"}, "COL-n", bot.Text{ZH: "复盘后归档", EN: "archive after the retrospective"}, cmdArchive},
		{[]string{"cancel", "撤销", "取消协作"}, "COL-n <reason>", bot.Text{ZH: "撤销协作", EN: "cancel a collaboration"}, cmdCancel},
		{[]string{"remind", "提醒", "提醒设置"}, "COL-n [off|on|<timer> <value>]", bot.Text{ZH: "查看或调整本协作的提醒(如 `提醒 COL-3 daily_progress 18:00`)", EN: "show or tune this collaboration's reminders (e.g. `remind COL-3 daily_progress 18:00`)"}, cmdRemind},
		{[]string{"snooze", "免打扰", "稍后提醒"}, "2h | until 2026-03-09 | off", bot.Text{ZH: "暂停给我的提醒", EN: "hold my reminders for a while"}, cmdSnooze},
		{[]string{"leave", "请假"}, "2026-03-09..2026-03-13 | off", bot.Text{ZH: "登记请假:期间不提醒,并告知总协调人", EN: "declare leave: no reminders then, coordinators are told"}, cmdLeave},
		{[]string{"销假", "unleave"}, "", bot.Text{ZH: "取消请假", EN: "cancel declared leave"}, cmdEndLeave},
		{[]string{"iam", "我的部门", "我是"}, "[department]", bot.Text{ZH: "查看或设置我的部门", EN: "show or set your department"}, cmdIAm},
		{[]string{"lang", "语言"}, "zh|en", bot.Text{ZH: "切换语言", EN: "switch language"}, cmdLang},
	}
}

// prefixes people put before a command: the slash command, the bot's name.
var prefixes = []string{"/collab", "collab", "/协作", "协作"}

// parseCommand splits a message into the command word and its input. It
// reports false when the message is not addressed as a command (no
// /collab prefix) — in a dialog that makes it an answer.
func parseCommand(text string) (name string, in input, explicit bool) {
	first, body, _ := strings.Cut(strings.TrimSpace(text), "\n")
	first = strings.TrimSpace(first)
	for _, p := range prefixes {
		if len(first) >= len(p) && strings.EqualFold(first[:len(p)], p) {
			rest := first[len(p):]
			if rest == "" || unicode.IsSpace(rune(rest[0])) {
				first, explicit = strings.TrimSpace(rest), true
				break
			}
		}
	}
	words := strings.Fields(first)
	if len(words) == 0 {
		return "", input{body: strings.TrimSpace(body)}, explicit
	}
	name = words[0]
	rest := strings.TrimSpace(strings.TrimPrefix(first, name))
	// "COL-3" written as "COL 3" or "T- 3" is one argument.
	return strings.ToLower(name), input{args: joinRefs(words[1:]), rest: rest, body: strings.TrimSpace(body)}, explicit
}

// withoutPrefix is text with a leading "/collab" (or another prefix)
// removed from its first line, case and the other lines kept.
func withoutPrefix(text string) string {
	first, body, multi := strings.Cut(strings.TrimSpace(text), "\n")
	for _, p := range prefixes {
		if len(first) >= len(p) && strings.EqualFold(first[:len(p)], p) {
			if rest := first[len(p):]; rest == "" || unicode.IsSpace(rune(rest[0])) {
				first = strings.TrimSpace(rest)
				break
			}
		}
	}
	if multi {
		return strings.TrimSpace(first + "\n" + body)
	}
	return first
}

func joinRefs(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		up := strings.ToUpper(strings.TrimRight(w, "-－"))
		if (up == "COL" || up == "T" || up == "M" || up == "R") && i+1 < len(words) && isDigits(words[i+1]) {
			out = append(out, up+"-"+words[i+1])
			i++
			continue
		}
		out = append(out, w)
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

func (e *Engine) lookup(name string) (command, bool) {
	for _, c := range e.commands {
		for _, n := range c.names {
			if strings.EqualFold(n, name) {
				return c, true
			}
		}
	}
	return command{}, false
}

// nearest suggests the command closest to what was typed, so a typo gets
// "did you mean" instead of silence.
func (e *Engine) nearest(word string) (string, bool) {
	best, bestDist := "", 3
	for _, c := range e.commands {
		for _, n := range c.names {
			if d := distance(strings.ToLower(word), strings.ToLower(n)); d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	return best, best != ""
}

// distance is the Levenshtein distance over runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// handle routes one message: a button click or a command runs; otherwise
// an open dialog takes the text as its answer; otherwise the bot helps.
func (s *session) handle(ctx context.Context) error {
	var explicit bool
	text := s.msg.Text
	if s.msg.Action != nil {
		// A button carries the command it stands for ("command") or an
		// answer to the open form ("answer": a choice, confirm, cancel).
		text = s.msg.Action.Value
		explicit = s.msg.Action.ID == "command"
	}
	name, in, typed := parseCommand(text)
	explicit = explicit || typed
	d, err := s.loadDialog(ctx)
	if err != nil {
		return err
	}
	s.open = d
	if d != nil && !explicit {
		return s.continueDialog(ctx, d, text)
	}
	if name == "" {
		if d != nil {
			return s.continueDialog(ctx, d, text)
		}
		return cmdHelp(ctx, s, in)
	}
	cmd, ok := s.e.lookup(name)
	if !ok {
		if d != nil {
			// "/collab <an answer>": the prefix only addressed the bot.
			return s.continueDialog(ctx, d, withoutPrefix(text))
		}
		if near, ok := s.e.nearest(name); ok {
			s.say("没有“%s”这个命令,你是不是想用 `%s`?发送 `帮助` 查看全部命令。",
				"There is no “%s” command. Did you mean `%s`? Send `help` for all commands.", bot.Truncate(name, 20), near)
			return nil
		}
		s.say("我没看懂。发送 `帮助` 查看命令,或 `发起协作` 开始一个协作需求。",
			"I did not understand that. Send `help` for the commands, or `new` to file a collaboration request.")
		return nil
	}
	if err := cmd.run(ctx, s, in); err != nil {
		return err
	}
	if s.open != nil {
		s.say("(你的“%s”表单还没完成,回复它的问题继续,或发送 `取消` 放弃。)",
			"(Your “%s” form is still open: answer its question to go on, or send `cancel` to drop it.)", s.open.title(s))
	}
	return nil
}

func cmdHelp(_ context.Context, s *session, _ input) error {
	var b strings.Builder
	for _, c := range s.e.commands {
		name := c.names[0]
		if s.lang == bot.Chinese {
			name = c.names[1] + " / " + c.names[0]
		}
		b.WriteString("• `" + name)
		if c.usage != "" {
			b.WriteString(" " + c.usage)
		}
		b.WriteString("` — " + c.help.In(s.lang) + "\n")
	}
	b.WriteString(s.tr("\n在群里 @我 或用 `/collab <命令>`;填表时可回复 `跳过`、`上一步`、`取消`。",
		"\n@-mention me in a group or use `/collab <command>`; while filling a form you can answer `skip`, `back` or `cancel`."))
	s.reply(bot.Reply{Title: s.tr("collabot 命令", "collabot commands"), Body: b.String()})
	return nil
}
