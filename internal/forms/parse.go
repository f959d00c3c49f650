package forms

import (
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// Context is what reading an answer depends on besides the answer.
type Context struct {
	Now       time.Time
	Calendar  *calendar.Calendar // location and business days
	Directory *bot.Directory
	Mentions  []bot.Identity // accounts @-mentioned in the message, in order
	Platform  bot.Platform   // the speaker's platform, to resolve raw platform ids
}

// maxRawBytes bounds an answer before any work is done on it: the longest
// legal answer (MaxFieldRunes of four-byte runes, plus the markup a
// platform adds) fits, and a pasted log is refused in constant time.
const maxRawBytes = 6 * bot.MaxFieldRunes

// Parse reads one answer and returns its canonical form (see the package
// documentation), which Parse reads back unchanged, so a dialog can be
// resumed hours later without "明天" moving. An empty answer is "" for an
// optional field and a refusal for a required one; whether a field is
// required given the other answers is Template.Requires' business. A
// refusal is a *bot.Error naming the field, saying what was wrong and
// showing a right answer in both languages.
func (f *Field) Parse(c Context, raw string) (string, error) {
	if len(raw) > maxRawBytes {
		return "", f.tooLong(utf8.RuneCountInString(raw), bot.MaxFieldRunes)
	}
	s := clean(raw)
	if isBlank(s) {
		if f.Required {
			return "", f.fail(bot.CodeRequired, "必填。", "is required.")
		}
		return "", nil
	}
	c = c.ready()
	switch f.Type {
	case TypeText, TypeLongText:
		return f.parseText(c, s)
	case TypeList:
		return f.parseList(c, s)
	case TypeChoice:
		return f.parseChoice(s)
	case TypeNumber:
		return f.parseNumber(s)
	case TypeURL:
		return f.parseURL(s)
	case TypeDate, TypeDateTime:
		return f.parseTime(c, s)
	case TypeDuration:
		return f.parseDuration(c, s)
	case TypeDepartment, TypeDepartments:
		return f.parseDepartments(c, s)
	case TypePerson, TypePeople:
		return f.parsePeople(c, s)
	case TypeActions:
		return f.parseActions(c, s)
	case TypeDeliverables:
		return f.parseDeliverables(c, s)
	case TypeStatuses:
		return f.parseStatuses(c, s)
	case TypeRef:
		return f.parseRef(s)
	}
	return "", bot.RefuseText(bot.CodeInvalid, f.Key, bot.Text{ZH: "该字段类型未知:" + string(f.Type),
		EN: "unknown field type " + string(f.Type)})
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\u3000' {
			return false
		}
	}
	return true
}

var (
	defaultCalOnce sync.Once
	defaultCal     *calendar.Calendar
)

// ready fills in what a caller left out, so that a half-built Context
// reads answers instead of crashing: a Monday–Friday calendar in
// Asia/Shanghai, an empty directory, the wall clock.
func (c Context) ready() Context {
	if c.Calendar == nil {
		defaultCalOnce.Do(func() { defaultCal, _ = calendar.New(calendar.Options{}) })
		c.Calendar = defaultCal
	}
	if c.Directory == nil {
		c.Directory = bot.NewDirectory("", nil, nil, nil)
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	c.Now = c.Now.In(c.Calendar.Location())
	return c
}

// fail refuses an answer: the label, what was wrong, and an example of a
// right answer. zh and en are sentences with their final punctuation.
func (f *Field) fail(code bot.Code, zh, en string) error {
	ex := f.example()
	return bot.RefuseText(code, f.Key, bot.Text{
		ZH: "“" + f.Label.ZH + "”" + zh + "例如:" + ex.ZH,
		EN: f.Label.EN + ": " + en + " For example: " + ex.EN})
}

// failLine refuses one line of a multi-line answer, saying which.
func (f *Field) failLine(code bot.Code, n int, line, zh, en string) error {
	ln := strconv.Itoa(n)
	return f.fail(code, "第"+ln+"行“"+quote(line)+"”"+zh, "line "+ln+" “"+quote(line)+"” "+en)
}

func (f *Field) tooLong(got, max int) error {
	return f.fail(bot.CodeInvalid,
		"最多 "+strconv.Itoa(max)+" 字,现在是 "+strconv.Itoa(got)+" 字。请精简,详细内容可附链接。",
		"is limited to "+strconv.Itoa(max)+" characters and this is "+strconv.Itoa(got)+
			"; shorten it, or attach a link for the details.")
}

// example is the field's own example, or one that fits its type.
func (f *Field) example() bot.Text {
	if f.Example.ZH != "" || f.Example.EN != "" {
		return f.Example
	}
	switch f.Type {
	case TypeDate:
		return bot.Text{ZH: "2026-12-01、12月1日、明天、下周五、3个工作日内", EN: "2026-12-01, Dec 1, tomorrow, next friday, in 3 business days"}
	case TypeDateTime:
		return bot.Text{ZH: "2026-12-01 14:00、明天下午3点、周五 10:00", EN: "2026-12-01 14:00, tomorrow 3pm, friday 10am"}
	case TypeDuration:
		if f.Business {
			return bot.Text{ZH: "3个工作日、1bd、4个工作小时", EN: "3 business days, 1bd, 4bh"}
		}
		return bot.Text{ZH: "1小时、90分钟、1.5h、半小时", EN: "1h, 90m, 1.5 hours, 45 min"}
	case TypeDepartment:
		return bot.Text{ZH: "研发部", EN: "engineering"}
	case TypeDepartments:
		return bot.Text{ZH: "研发部、财务部", EN: "engineering, finance"}
	case TypePerson:
		return bot.Text{ZH: "@某人 或通讯录编号(如 bob)", EN: "@someone or a directory id such as bob"}
	case TypePeople:
		return bot.Text{ZH: "@张三 @李四 或 bob, ben", EN: "@alice @bob, or bob, ben"}
	case TypeChoice:
		return f.choiceList()
	case TypeNumber:
		return bot.Text{ZH: strconv.Itoa(max(f.Min, 1)), EN: strconv.Itoa(max(f.Min, 1))}
	case TypeURL:
		return bot.Text{ZH: "https://docs.example.com/spec", EN: "https://docs.example.com/spec"}
	case TypeList:
		return bot.Text{ZH: "每行一项,或用“;”“、”分隔", EN: "one item per line, or items separated by ;"}
	case TypeActions:
		return bot.Text{ZH: "@bob 完成接口调试 2026-12-01", EN: "@bob finish the API tests 2026-12-01"}
	case TypeDeliverables:
		return bot.Text{ZH: "接口文档, v1.2, 1, https://docs.example.com/api", EN: "API spec, v1.2, 1, https://docs.example.com/api"}
	case TypeStatuses:
		return bot.Text{ZH: "T-3: 需协助 缺测试账号", EN: "T-3: needs help, missing a test account"}
	case TypeRef:
		k := string(f.Ref)
		if k == "" {
			k = "T"
		}
		return bot.Text{ZH: k + "-3", EN: k + "-3"}
	}
	return bot.Text{ZH: "请用一句话说明", EN: "one short sentence"}
}
