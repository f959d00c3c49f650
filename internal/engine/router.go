package engine

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// command is one entry of the router: its names in English and Chinese,
// what it takes, and what it does. A command with sub-commands ("task add",
// "task T-3 done") dispatches them itself.
type command struct {
	names []string
	usage string // arguments, e.g. "COL-n accept|decline|info"
	help  bot.Text
	run   func(ctx context.Context, s *session, in input) error
	// shape tells a complete use of the command from an answer that
	// happens to start with its name, while a form is open: "看板 COL-1"
	// is the board, "看板 redesign" is a topic. Nil: never while a form
	// is open (it would only be typed as an answer).
	shape shape
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
		a := in.arg(i)
		if strings.HasPrefix(first, a) {
			first = strings.TrimSpace(strings.TrimPrefix(first, a))
			continue
		}
		// A reference typed as two words ("COL 3") is one argument.
		if w := strings.Fields(first); len(w) >= 2 && slices.Equal(joinRefs(w[:2]), []string{a}) {
			_, after, _ := strings.Cut(first, w[0])
			first = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(after), w[1]))
		}
	}
	return strings.TrimSpace(first + "\n" + in.body)
}

// shape tells whether a command's input is a complete use of it.
type shape func(s *session, in input) bool

// Shapes of complete commands.
func bare(_ *session, in input) bool { return len(in.args) == 0 && in.body == "" }

// firstRef: the first argument is an identifier of one of the kinds.
func firstRef(kinds ...bot.IDKind) shape {
	return func(_ *session, in input) bool { return isRef(in.arg(0), kinds...) }
}

// firstWord: the first argument is one of words.
func firstWord(words ...string) shape {
	return func(_ *session, in input) bool { return slices.Contains(words, strings.ToLower(in.arg(0))) }
}

// adding: "task add" alone (the group's collaboration) or followed by
// the collaboration, and nothing else on its line: "risk new vendor may
// be late" is an answer.
func adding(_ *session, in input) bool {
	return slices.Contains(addWords, strings.ToLower(in.arg(0))) &&
		(len(in.args) == 1 || (len(in.args) == 2 && isRef(in.arg(1), bot.KindCollab)))
}

// only: exactly one argument, which ok accepts.
func only(ok func(s *session, arg string) bool) shape {
	return func(s *session, in input) bool { return len(in.args) == 1 && in.body == "" && ok(s, in.arg(0)) }
}

func either(shapes ...shape) shape {
	return func(s *session, in input) bool {
		return slices.ContainsFunc(shapes, func(f shape) bool { return f(s, in) })
	}
}

func isRef(a string, kinds ...bot.IDKind) bool {
	for _, k := range kinds {
		if _, err := refOf(k, a); err == nil {
			return true
		}
	}
	return false
}

var (
	addWords   = []string{"add", "new", "新建", "添加", "安排", "上报"}
	quietStart = regexp.MustCompile(`^(?:晚上|夜里|早上|上午|下午|中午|凌晨)?\d{1,2}`)
	offWords   = []string{"off", "关", "关闭", "cancel", "取消", "销假", "until", "到", "直到"}
	langWords  = []string{"zh", "en", "中文", "english", "zh-cn", "英文"}
	spanWord   = regexp.MustCompile(`^\d+(?:m|min|h|d|bd|分钟|小时|天|个工作日)$`)
	dateStart  = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}`)
)

func commandTable() []command {
	col, task, meeting, risk := bot.KindCollab, bot.KindTask, bot.KindMeeting, bot.KindRisk
	return append([]command{
		{[]string{"help", "帮助", "?", "？"}, "[command]", words.Text("help.cmd.help", nil), cmdHelp,
			either(bare, only(func(s *session, a string) bool { _, ok := s.e.lookup(a); return ok }))},
		{[]string{"new", "发起协作", "发起", "新建协作", "新建"}, "[project|resource|problem|alignment]", words.Text("help.cmd.new", nil), cmdNew, newShape},
		{[]string{"resume", "继续", "继续填写"}, "", words.Text("help.cmd.resume", nil), cmdResume,
			either(bare, only(func(s *session, a string) bool { return s.draft(a) >= 0 }))},
		{[]string{"list", "我的协作", "列表"}, "[all]", words.Text("help.cmd.list", nil), cmdList, either(bare, firstWord("all", "全部"))},
		{[]string{"show", "查看"}, "COL-n", words.Text("help.cmd.show", nil), cmdShow, firstRef(col)},
		{[]string{"export", "导出", "导出记录"}, "COL-n [md|csv|json]", words.Text("help.cmd.export", nil), cmdExport,
			firstRef(col)},
		{[]string{"board", "看板", "进度看板"}, "[COL-n | web]", words.Text("help.cmd.board", nil), cmdBoardOrWeb,
			either(bare, firstRef(col), only(func(_ *session, a string) bool { return isWebWord(a) }))},
		{[]string{"ack", "确认", "对接确认", "confirm"}, "[COL-n accept|decline|info | M-n]", words.Text("help.cmd.confirm", nil), cmdAck, firstRef(col, meeting)},
		{[]string{"answer", "补充", "答复"}, "COL-n <部门/department> <text>", words.Text("help.cmd.answer", nil), cmdAnswer, firstRef(col)},
		{[]string{"review", "初审"}, "COL-n approve|reject", words.Text("help.cmd.review", nil), cmdReview, firstRef(col)},
		{[]string{"edit", "修改", "修改需求"}, "COL-n", words.Text("help.cmd.edit", nil), cmdEdit, firstRef(col)},
		{[]string{"resubmit", "重新提交"}, "COL-n", words.Text("help.cmd.resubmit", nil), cmdResubmit, firstRef(col)},
		{[]string{"drop", "移除部门"}, "COL-n <部门/department>", words.Text("help.cmd.drop", nil), cmdDrop, firstRef(col)},
		{[]string{"contact", "对接人", "更换对接人"}, "COL-n <部门/department> @someone", words.Text("help.cmd.contact", nil), cmdContact, firstRef(col)},
		{[]string{"coordinator", "总协调人", "更换总协调人"}, "COL-n @someone", words.Text("help.cmd.coordinator", nil), cmdCoordinator, firstRef(col)},
		{[]string{"task", "任务"}, "add COL-n | T-n start|help|block|done|due|ask-due|approve|refuse|owner|dept|rename|standard|cancel|confirm|reassign … | COL-n confirmation on|off", words.Text("help.cmd.task", nil), needing(bot.StepPlan, cmdTask),
			either(adding, firstRef(task), firstRef(col))},
		{[]string{"tasks", "任务列表", "我的任务"}, "[mine|COL-n]", words.Text("help.cmd.tasks", nil), cmdTasks, either(bare, firstWord("mine", "我的"), firstRef(col))},
		{[]string{"update", "进度更新", "进度", "日报"}, "[COL-n]", words.Text("help.cmd.update", nil), needing(bot.StepPlan, cmdUpdate), either(bare, firstRef(col))},
		{[]string{"meeting", "会议"}, "new COL-n | M-n agenda|minutes|confirm|reschedule|invite|cancel", words.Text("help.cmd.meeting", nil), needing(bot.StepPlan, cmdMeeting),
			either(adding, firstRef(meeting))},
		{[]string{"risk", "风险", "问题"}, "new COL-n | R-n respond|resolve|severity|link", words.Text("help.cmd.risk", nil), cmdRisk,
			either(adding, firstRef(risk))},
		{[]string{"deliver", "提交成果", "交付"}, "COL-n", words.Text("help.cmd.deliver", nil), needing(bot.StepAcceptance, cmdDeliver), firstRef(col)},
		{[]string{"accept", "验收"}, "COL-n pass|fail", words.Text("help.cmd.accept", nil), needing(bot.StepAcceptance, cmdAccept), firstRef(col)},
		{[]string{"retro", "复盘"}, "COL-n", words.Text("help.cmd.retro", nil), needing(bot.StepRetrospective, cmdRetro), firstRef(col)},
		{[]string{"archive", "归档"}, "COL-n", words.Text("help.cmd.archive", nil), cmdArchive, firstRef(col)},
		{[]string{"return", "归还", "结束借用"}, "COL-n [note]", words.Text("help.cmd.return", nil), cmdReturn, firstRef(col)},
		{[]string{"solve", "解决", "问题解决"}, "COL-n", words.Text("help.cmd.solve", nil), cmdSolve, firstRef(col)},
		{[]string{"read", "已阅", "已读"}, "COL-n [questions]", words.Text("help.cmd.read", nil), cmdRead, firstRef(col)},
		{[]string{"cancel", "撤销", "取消协作"}, "COL-n <reason>", words.Text("help.cmd.cancel", nil), cmdCancel, firstRef(col, meeting)},
		{[]string{"cancel-meeting", "取消"}, "M-n [2026-10-07]", words.Text("help.cmd.cancel_meeting", nil), cmdCancelMeeting, firstRef(meeting)},
		{[]string{"remind", "提醒", "提醒设置"}, "COL-n [off|on|<timer> <value>]", words.Text("help.cmd.remind", nil), cmdRemind, firstRef(col)},
		{[]string{"snooze", "免打扰", "稍后提醒"}, "2h | until 2026-03-09 | off", words.Text("help.cmd.snooze", nil), cmdSnooze,
			func(_ *session, in input) bool {
				return slices.Contains(offWords, strings.ToLower(in.arg(0))) || spanWord.MatchString(strings.ToLower(in.arg(0)))
			}},
		{[]string{"quiet", "免打扰时段", "勿扰时段"}, "22:00-08:00 | off", words.Text("help.cmd.quiet", nil), cmdQuiet,
			either(bare, func(_ *session, in input) bool {
				a := strings.ToLower(in.arg(0))
				return in.body == "" && (slices.Contains(offWords, a) || quietStart.MatchString(a))
			})},
		{[]string{"leave", "请假"}, "2026-03-09..2026-03-13 | off", words.Text("help.cmd.leave", nil), cmdLeave,
			either(only(func(_ *session, a string) bool { return slices.Contains(offWords, strings.ToLower(a)) }),
				func(s *session, in input) bool {
					_, err := s.parseLeave(strings.ToLower(strings.TrimSpace(in.rest)), s.today())
					return in.body == "" && err == nil
				})},
		{[]string{"unleave", "销假"}, "[2026-12-07 | all]", words.Text("help.cmd.end_leave", nil), cmdEndLeave,
			either(bare, only(func(_ *session, a string) bool { return slices.Contains(allLeaveWords, strings.ToLower(a)) }),
				func(s *session, in input) bool {
					_, err := s.parseLeave(strings.ToLower(strings.TrimSpace(in.rest)), s.today())
					return in.body == "" && err == nil
				})},
		{[]string{"iam", "我的部门", "我是"}, "[department]", words.Text("help.cmd.iam", nil), cmdIAm, bare},
		{[]string{"lang", "语言"}, "zh|en", words.Text("help.cmd.lang", nil), cmdLang, firstWord(langWords...)},
		{[]string{"settings", "设置", "我的设置"}, "", words.Text("help.cmd.settings", nil), cmdSettings, bare},
	}, stepCommands()...)
}

// myPhrases are what English speakers type for the commands that show
// their own things ("my tasks"); the line must be the phrase alone, so an
// answer to a form that starts with "my" stays an answer.
var myPhrases = map[string]string{"tasks": "tasks mine", "collaborations": "list", "collabs": "list",
	"requests": "list", "department": "iam", "settings": "settings", "leave": "leave"}

// Prefixes people put before a command: the slash command always
// addresses the bot; the bare words only when a command follows, so an
// answer "Collab tools rollout" keeps every word.
var (
	slashPrefixes = []string{"/collab", "/协作"}
	wordPrefixes  = []string{"collab", "协作"}
)

// cutPrefix removes a prefix from the first line of text, if it is one of
// prefixes followed by a space or nothing.
func cutPrefix(first string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		if len(first) >= len(p) && strings.EqualFold(first[:len(p)], p) {
			if rest := first[len(p):]; rest == "" || unicode.IsSpace(rune(rest[0])) {
				return strings.TrimSpace(rest), true
			}
		}
	}
	return first, false
}

// parse splits a message into the command word and its input. explicit
// reports a prefix that addressed the bot ("/collab …", "collab help"):
// such a message is never an answer, except "/collab <answer>" in a form.
func (e *Engine) parse(text string) (name string, in input, explicit bool) {
	first, body, _ := strings.Cut(strings.TrimSpace(text), "\n")
	first = strings.TrimSpace(first)
	if rest, ok := cutPrefix(first, slashPrefixes); ok {
		first, explicit = rest, true
	} else if rest, ok := cutPrefix(first, wordPrefixes); ok {
		if word, _, _ := strings.Cut(rest, " "); word != "" {
			if _, known := e.lookup(word); known {
				first, explicit = rest, true
			}
		}
	}
	first = e.spaced(first)
	words := strings.Fields(first)
	if len(words) == 0 {
		return "", input{body: strings.TrimSpace(body)}, explicit
	}
	if len(words) == 2 && strings.EqualFold(words[0], "my") {
		if cmd, ok := myPhrases[strings.ToLower(words[1])]; ok {
			first = cmd
			words = strings.Fields(cmd)
		}
	}
	name = words[0]
	rest := strings.TrimSpace(strings.TrimPrefix(first, name))
	// "COL-3" written as "COL 3" or "T- 3" is one argument.
	return strings.ToLower(name), input{args: joinRefs(words[1:]), rest: rest, body: strings.TrimSpace(body)}, explicit
}

// unspacedRef is a reference written straight after a Chinese command
// word and followed by its argument, as Chinese is typed: "初审COL-1通过".
var unspacedRef = regexp.MustCompile(`^(?i)(COL|T|M|R)\s*[-－]?\s*(\d+)\s*(.*)$`)

// gluedArgs are the words typed straight after a reference that still make
// a command of it ("初审COL-1通过"); anything else after it is prose.
var gluedArgs = []string{"通过", "驳回", "承接", "无法承接", "需补充信息", "详情", "完成", "开始", "求助", "需协助",
	"阻塞", "签署", "拒签", "批准", "退回", "提交", "开", "关", "议程", "纪要", "确认", "同意", "拒绝", "响应", "解决"}

// spaced puts the spaces back into a first line typed without them
// ("初审COL-1通过" → "初审 COL-1 通过"): only when its first word is no
// command, starts with a Chinese command's name and goes on with a
// reference, so an answer that merely starts like a command is kept.
func (e *Engine) spaced(first string) string {
	word, tail, _ := strings.Cut(first, " ")
	if _, known := e.lookup(word); known {
		return first
	}
	best := ""
	for _, c := range e.commands {
		for _, n := range c.names {
			if !latinWord(n) && len(n) > len(best) && strings.HasPrefix(word, n) {
				best = n
			}
		}
	}
	if best == "" {
		return first
	}
	m := unspacedRef.FindStringSubmatch(word[len(best):])
	if m == nil || (m[3] != "" && !slices.Contains(gluedArgs, m[3])) {
		// "看板COL-1里的任务都要按时完成" is prose, maybe an answer.
		return first
	}
	out := best + " " + strings.ToUpper(m[1]) + "-" + m[2]
	if m[3] != "" {
		out += " " + m[3]
	}
	if tail != "" {
		out += " " + tail
	}
	return out
}

// withoutSlash is text with a leading "/collab" removed from its first
// line, case and the other lines kept.
func withoutSlash(text string) string { return strip(text, slashPrefixes) }

// withoutPrefix is text without whichever prefix addressed the bot.
func withoutPrefix(text string) string { return strip(strip(text, slashPrefixes), wordPrefixes) }

func strip(text string, prefixes []string) string {
	first, body, multi := strings.Cut(strings.TrimSpace(text), "\n")
	first, _ = cutPrefix(first, prefixes)
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
// "did you mean" instead of silence. Only a name in the same script is
// near ("设置" is no typo of "帮助"), within one edit, or two from five
// letters on; a word of one or two letters, or one character, is too
// short to guess from ("my", "是").
func (e *Engine) nearest(word string) (string, bool) {
	word = strings.ToLower(word)
	latin, runes := latinWord(word), utf8.RuneCountInString(word)
	if (latin && runes < 3) || runes < 2 {
		return "", false // "是" is no typo of "？"
	}
	limit := 1
	if latin && runes >= 5 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range e.commands {
		for _, n := range c.names {
			if latinWord(n) != latin {
				continue
			}
			if d := distance(word, strings.ToLower(n)); d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	return best, best != ""
}

// latinWord reports a word written in ASCII only, as English names are.
func latinWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) < 0
}

// distance is the edit distance over runes in which swapping two
// neighbours counts as one edit, as typing makes them ("lsit", "problme";
// the optimal string alignment distance).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	before, prev := make([]int, len(rb)+1), make([]int, len(rb)+1)
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
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
		}
		before, prev = prev, cur
	}
	return prev[len(rb)]
}

// handle routes one message. A button click or a command runs. While a
// form is open, the words that steer it (cancel, back, skip, confirm,
// edit <field>) and a click on its buttons go to the form; then a complete
// command (its word and the arguments it needs, as its shape says) runs
// and the form waits, its question repeated; anything else answers the
// form. Without a form, anything else gets help.
func (s *session) handle(ctx context.Context) error {
	if err := s.route(ctx); err != nil {
		return err
	}
	return s.attachAfter(ctx)
}

func (s *session) route(ctx context.Context) error {
	var explicit, answer bool
	text := s.msg.Text
	if s.msg.Action != nil {
		// A button carries the command it stands for ("command") or an
		// answer to the open form ("answer": a choice, confirm, cancel).
		text = s.msg.Action.Value
		explicit = s.msg.Action.ID == "command"
		answer = !explicit
	}
	name, in, typed := s.e.parse(text)
	explicit = explicit || typed
	d, err := s.loadConversation(ctx)
	if err != nil {
		return err
	}
	s.open = d
	if done, err := s.attachBefore(ctx, d, text); done || err != nil {
		return err
	}
	if done, err := s.answerOffer(ctx, withoutPrefix(text)); done || err != nil {
		return err
	}
	if t := withoutPrefix(text); d == nil && (is(t, wordsCancel) || is(t, wordsBack)) {
		// "取消" or "上一步" meant for a form, with none open: not the
		// command to cancel a collaboration, nor a typo of "ack".
		switch {
		case s.parked:
			// The notice said the form waits as a draft.
		case is(t, wordsCancel):
			s.sayKey("reply.form.nothing_to_cancel", nil)
		default:
			s.sayKey("reply.form.nothing_to_go_back", nil)
		}
		if len(s.conv.Drafts) > 0 && !s.parked {
			s.sayKey("reply.draft.unfinished", words.Args{"form": s.conv.Drafts[0].label(s)})
		}
		return nil
	}
	cmd, known := s.e.lookup(name)
	if d != nil && typed && s.steers(d, withoutPrefix(text)) {
		// "/collab 确认" on Slack, where every slash command has the
		// prefix, confirms the form like a plain 确认.
		return s.continueDialog(ctx, d, withoutPrefix(text))
	}
	if d != nil && !explicit {
		if answer || s.steers(d, text) || !known || cmd.shape == nil || !cmd.shape(s, in) {
			return s.continueDialog(ctx, d, text)
		}
	}
	if s.parked && !known {
		return nil // the notice said the form waits as a draft
	}
	if name == "" {
		if d != nil {
			return s.continueDialog(ctx, d, text)
		}
		return cmdHelp(ctx, s, in)
	}
	if !known {
		if d != nil {
			// "/collab <an answer>": the prefix only addressed the bot.
			return s.continueDialog(ctx, d, withoutSlash(text))
		}
		if near, ok := s.e.nearest(name); ok {
			s.sayKey("reply.unknown.did_you_mean", words.Args{"name": bot.Truncate(name, 20), "near": near})
			return nil
		}
		s.sayKey("reply.unknown.command", nil)
		return nil
	}
	// The open form waits while the command runs; Handle repeats its
	// question after the answer, a refusal included, unless the command
	// put the form aside.
	s.ran = s.open != nil
	return cmd.run(ctx, s, in)
}

func cmdHelp(_ context.Context, s *session, in input) error {
	if topic := in.arg(0); topic != "" {
		if c, ok := s.e.lookup(topic); ok {
			s.reply(s.helpOn(c))
			return nil
		}
	}
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
	b.WriteString(s.w("help.footer", nil))
	s.reply(bot.Reply{Title: s.w("help.title", nil), Body: b.String()})
	return nil
}

// subsOf are the sub-commands of the commands that have them, by the
// command's first name.
var subsOf = map[string]*[]sub{"task": &taskSubs, "meeting": &meetingSubs, "risk": &riskSubs}

// helpOn is one command's help: its usage and each sub-command's.
func (s *session) helpOn(c command) bot.Reply {
	name := c.names[0]
	if s.lang == bot.Chinese {
		name = c.names[1]
	}
	var b strings.Builder
	b.WriteString(c.help.In(s.lang) + "\n")
	if subs, ok := subsOf[c.names[0]]; ok {
		// The sub-commands' usages are in the reader's language; the
		// summary line's would repeat them in English.
		b.WriteString("• `" + name + " " + s.w("help.word_add", nil) + " COL-n`\n")
		for _, sc := range *subs {
			b.WriteString("• `" + name + " " + sc.usage.In(s.lang) + "`\n")
		}
	} else if c.usage != "" {
		b.WriteString("• `" + name + " " + c.usage + "`\n")
	}
	return bot.Reply{Title: s.w("help.usage_title", words.Args{"name": name}), Body: b.String()}
}
