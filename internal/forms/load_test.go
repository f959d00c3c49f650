package forms_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/forms"
)

// contract is process.md's "Form field keys" table: keys in order, with
// their Chinese labels ("" where process.md names none).
var contract = map[string][][2]string{
	// The request also asks the collaboration types' fields (types.yaml).
	"request": {{"type", "协作类型"}, {"topic", "协作主题"}, {"goal", "协作背景与目标"},
		{"problem", "问题描述"}, {"impact", "影响范围"}, {"content", "同步内容"}, {"departments", "需协助部门"}, {"contacts", "对接人"},
		{"requirements", "具体需求描述"}, {"resource_kind", "资源类型"}, {"resource", "资源需求"}, {"quantity", "数量"},
		{"start", "使用开始日期"}, {"end", "使用结束日期"}, {"boundaries", "使用边界"}, {"deliverables", "交付物"}, {"standard", "交付标准"}, {"due", "期望完成时间"},
		{"confirm_by", "确认截止时间"}, {"scope", "涉及场景/系统"}, {"cadence", "协同方式与频次"}, {"risks", "风险提示与应对预案"}, {"coordinator", "总协调人"}},
	"acknowledgement": {{"decision", ""}, {"scope", "承接范围"}, {"resources", "资源需求"}, {"risks", "风险提示"},
		{"reason", "原因"}, {"alternative", "替代方案"}, {"question", "需补充的信息"}},
	"review": {{"decision", ""}, {"comments", "审核意见"}},
	"task": {{"title", "任务名称"}, {"description", "任务描述"}, {"department", "责任部门"}, {"role", "主责/配合"},
		{"owner", "直接责任人"}, {"collaborators", "协同责任人"}, {"start", "开始时间"}, {"due", "截止时间"},
		{"standard", "交付标准"}, {"parent", "上级任务"}},
	"progress": {{"done", "已完成"}, {"pending", "未完成"}, {"problems", "遇到的问题"}, {"status", "任务状态"}},
	"meeting": {{"kind", "会议类型"}, {"start", "会议时间"}, {"duration", "时长"}, {"attendees", "参会人"},
		{"agenda", "议程"}, {"materials", "预阅读材料"}},
	"agenda":  {{"agenda", "议程"}, {"materials", "预阅读材料"}},
	"minutes": {{"decisions", "共识结论"}, {"actions", "待办事项"}, {"risks", "风险"}},
	"risk": {{"description", "问题描述"}, {"impact", "影响范围"}, {"severity", "影响程度"}, {"due", "期望解决时间"},
		{"department", "责任部门"}, {"owner", "责任人"}, {"mitigation", "应对措施"}},
	"risk_response": {{"response", "解决方案"}, {"due", "预计解决时间"}},
	"delivery":      {{"items", "成果交付清单"}, {"selfcheck", "成果自检"}},
	// A fail asks its rework items before the comments: the lines after
	// `验收 COL-1 不通过` are the items the delivery notice told them to list.
	"acceptance":    {{"verdict", ""}, {"items", "整改项"}, {"comments", "验收意见"}, {"notes", "逐项意见"}, {"due", "整改期限"}},
	"retrospective": {{"highlights", "协作亮点"}, {"improvements", "待改进点"}, {"actions", "后续措施"}},
	// Seed 003: the goal consensus signature and the implementation plan.
	"signoff":       {{"decision", "签署意见"}, {"remarks", "签署备注"}, {"reason", "拒签原因"}},
	"plan":          {{"method", "方法"}, {"contingency", "预案"}, {"standard", "质量标准"}},
	"plan_decision": {{"decision", "审批结果"}, {"comments", "审批意见"}},
	"resolution":    {{"cause", "根本原因"}, {"fix", "解决方案"}},
}

func TestEmbeddedTemplatesKeepTheContract(t *testing.T) {
	_, _, set := fixture(t)
	var names []string
	for name := range contract {
		names = append(names, name)
	}
	slices.Sort(names)
	if got := set.Names(); !slices.Equal(got, names) {
		t.Fatalf("templates %v, want %v", got, names)
	}
	for name, fields := range contract {
		tpl := template(t, name)
		var keys []string
		for _, kf := range fields {
			keys = append(keys, kf[0])
		}
		if err := set.Require(name, keys...); err != nil {
			t.Error(err)
		}
		var got []string
		for _, f := range tpl.Fields {
			got = append(got, f.Key)
		}
		if !slices.Equal(got, keys) {
			t.Errorf("%s: keys %v, want %v", name, got, keys)
		}
		for _, kf := range fields {
			f, _ := tpl.Field(kf[0])
			if kf[1] != "" && f.Label.ZH != kf[1] {
				t.Errorf("%s.%s: label %q, want %q", name, kf[0], f.Label.ZH, kf[1])
			}
			// Every label reaches its field in a paste.
			for _, l := range []string{f.Label.ZH, f.Label.EN} {
				if g, ok := tpl.Field(l); !ok || g != f {
					t.Errorf("%s: label %q does not find %s", name, l, f.Key)
				}
			}
			if f.Type != forms.TypeChoice && (!strings.Contains(f.Prompt.ZH, "例如") || !strings.Contains(f.Prompt.EN, "e.g.")) {
				t.Errorf("%s.%s: prompt shows no example: %v", name, f.Key, f.Prompt)
			}
		}
	}
}

// Every example a template shows is itself a right answer.
func TestTemplateExamplesParse(t *testing.T) {
	_, _, set := fixture(t)
	for _, name := range set.Names() {
		for _, f := range template(t, name).Fields {
			for _, ex := range []string{f.Example.ZH, f.Example.EN} {
				if ex == "" {
					continue
				}
				if _, err := f.Parse(ctx(t), ex); err != nil {
					t.Errorf("%s.%s: example %q refused: %v", name, f.Key, ex, err)
				}
			}
		}
	}
}

// Choice values are the domain's words, and every label and alias reads
// as the same word through the domain's own parser where it has one.
func TestChoicesMatchTheDomain(t *testing.T) {
	parsers := map[string]func(string) (string, error){
		"acknowledgement.decision": func(s string) (string, error) {
			v, err := bot.ParseAckStatus(s)
			return map[bot.AckStatus]string{bot.AckAccepted: "accept", bot.AckDeclined: "decline", bot.AckNeedsInfo: "info"}[v], err
		},
		"meeting.kind":       func(s string) (string, error) { v, err := bot.ParseMeetingKind(s); return string(v), err },
		"risk.severity":      func(s string) (string, error) { v, err := bot.ParseSeverity(s); return string(v), err },
		"acceptance.verdict": func(s string) (string, error) { v, err := bot.ParseVerdict(s); return string(v), err },
		"task.role":          func(s string) (string, error) { v, err := bot.ParseDeptRole(s); return string(v), err },
	}
	for where, parse := range parsers {
		name, key, _ := strings.Cut(where, ".")
		f := templateField(t, name, key)
		for _, c := range f.Choices {
			for _, s := range []string{c.Value, c.Label.ZH} {
				if got, err := parse(s); err != nil || got != c.Value {
					t.Errorf("%s: the domain reads %q as %q (%v), want %s", where, s, got, err, c.Value)
				}
			}
		}
	}
	review := templateField(t, "review", "decision")
	if _, ok := review.Choice("approve"); !ok {
		t.Error("review.decision lacks approve")
	}
	if _, ok := review.Choice("reject"); !ok {
		t.Error("review.decision lacks reject")
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const survey = `name: survey
title: {zh: 满意度调查, en: Satisfaction survey}
fields:
  - key: score
    label: {zh: 评分, en: Score}
    prompt: {zh: "打几分?(1-5,例如:4)", en: "Your score? (1-5, e.g. 4)"}
    type: number
    min: 1
    max: 5
    required: true
`

func TestOverridesReplaceAndAdd(t *testing.T) {
	request, err := configs.FS.ReadFile("templates/request.yaml")
	if err != nil {
		t.Fatal(err)
	}
	custom := strings.Replace(string(request), "{zh: 协作主题, en: Topic}", "{zh: 项目名称, en: Project}", 1) + `
  - key: budget
    label: {zh: 预算, en: Budget}
    prompt: {zh: "预算多少元?(可选,例如:50000)", en: "Budget in yuan? (optional, e.g. 50000)"}
    type: number
`
	dir := writeFiles(t, map[string]string{"request.yaml": custom, "survey.yaml": survey, "README.md": "not a template"})
	if err := os.Mkdir(filepath.Join(dir, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	set, err := forms.Load(configs.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := set.Get("request")
	if f, ok := req.Field("项目名称"); !ok || f.Key != "topic" {
		t.Errorf("the override's label does not find topic")
	}
	if _, ok := req.Field("协作主题"); ok {
		t.Errorf("the built-in label survived the override")
	}
	if _, ok := req.Field("budget"); !ok {
		t.Errorf("the override's new field is missing")
	}
	if _, ok := set.Get("survey"); !ok {
		t.Errorf("the new template is missing")
	}
	if _, ok := set.Get("minutes"); !ok {
		t.Errorf("a built-in template that was not overridden is missing")
	}
	if err := set.Require("request", "topic", "due", "departments"); err != nil {
		t.Error(err)
	}
	err = set.Require("request", "topic", "nope", "gone")
	if err == nil || !strings.Contains(err.Error(), "nope, gone") || !strings.Contains(err.Error(), filepath.Join(dir, "request.yaml")) {
		t.Errorf("Require with missing keys: %v", err)
	}
	if err := set.Require("nothing", "x"); err == nil {
		t.Error("Require of a missing template passed")
	}

	// The override may drop a field; Require then names it.
	dropped := strings.Replace(survey, "survey", "agenda", 1)
	set, err = forms.Load(configs.FS, writeFiles(t, map[string]string{"agenda.yaml": dropped}))
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Require("agenda", "agenda", "materials"); err == nil || !strings.Contains(err.Error(), "agenda, materials") {
		t.Errorf("Require after dropping fields: %v", err)
	}
}

func TestBrokenOverrideIsOneClearError(t *testing.T) {
	broken := `name: risk
title: {zh: 风险, en: Risk}
fields:
  - key: description
    label: {zh: 问题描述, en: Description}
    prompt: {zh: "什么问题?(例如:宕机)", en: "What? (e.g. outage)"}
    type: longtext
    required: true
  - key: due
    label: {zh: 期望解决时间, en: Resolve by}
    prompt: {zh: "何时?(例如:明天)", en: "When? (e.g. tomorrow)"}
    type: dat
  - key: severity
    label: {zh: 影响程度, en: Severity}
    prompt: {zh: "多严重?(例如:高)", en: "How bad? (e.g. high)"}
    type: choice
    choices:
      - {value: high, label: {zh: 高, en: High}}
      - {value: critical, label: {zh: 致命, en: Critical}}
`
	dir := writeFiles(t, map[string]string{"risk.yaml": broken, "survey.yaml": "name: poll\n" + survey[len("name: survey\n"):]})
	_, err := forms.Load(configs.FS, dir)
	var le *forms.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load = %v, want a *LoadError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(dir, "risk.yaml") + ": field due: unknown type \"dat\"",
		filepath.Join(dir, "survey.yaml") + ": name \"poll\" differs from the file name \"survey\"",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	// A valid override that changes what the engine reads is refused too.
	retyped := strings.Replace(broken, "type: dat", "type: text", 1)
	_, err = forms.Load(configs.FS, writeFiles(t, map[string]string{"risk.yaml": retyped}))
	for _, want := range []string{"field due: type text differs from the built-in date", `field severity: choice "critical" is not one collabot knows`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	// text and longtext are interchangeable.
	relaxed := strings.Replace(strings.Replace(retyped, "type: text", "type: date", 1), "      - {value: critical, label: {zh: 致命, en: Critical}}\n", "      - {value: low, label: {zh: 低, en: Low}}\n", 1)
	relaxed = strings.Replace(relaxed, "type: longtext", "type: text", 1)
	if _, err := forms.Load(configs.FS, writeFiles(t, map[string]string{"risk.yaml": relaxed})); err != nil {
		t.Errorf("a compatible override was refused: %v", err)
	}

	twice := writeFiles(t, map[string]string{"survey.yaml": survey, "survey.yml": survey})
	if _, err := forms.Load(nil, twice); err == nil || !strings.Contains(err.Error(), "also defined in") {
		t.Errorf("a template defined twice: %v", err)
	}
	if _, err := forms.Load(configs.FS, filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing override directory passed")
	}
	if _, err := forms.Load(nil, ""); err == nil {
		t.Error("no templates at all passed")
	}
}

// Each broken field is reported with its key and what is wrong.
func TestValidation(t *testing.T) {
	const head = "name: t\ntitle: {zh: 表, en: Form}\nfields:\n"
	const ok = `  - key: decision
    label: {zh: 结果, en: Decision}
    prompt: {zh: "结果?(例如:通过)", en: "Result? (e.g. pass)"}
    type: choice
    choices:
      - {value: pass, label: {zh: 通过, en: Pass}}
      - {value: fail, label: {zh: 不通过, en: Fail}}
`
	field := func(lines string) string {
		return "  - key: x\n    label: {zh: 某项, en: Thing}\n    prompt: {zh: \"例如:a\", en: \"e.g. a\"}\n" + lines
	}
	for _, tt := range []struct{ name, body, want string }{
		{"valid", ok + field("    type: text\n"), ""},
		{"unknown type", field("    type: texts\n"), `field x: unknown type "texts"`},
		{"no type", field(""), `field x: unknown type ""`},
		{"choice without choices", field("    type: choice\n"), "field x: type choice needs at least two choices"},
		{"one choice", field("    type: choice\n    choices: [{value: a, label: {zh: 甲, en: A}}]\n"), "at least two choices"},
		{"choices on text", field("    type: text\n    choices: [{value: a, label: {zh: 甲, en: A}}]\n"), "choices are only for type choice"},
		{"choice value", ok + field("    type: choice\n    choices: [{value: A B, label: {zh: 甲, en: A}}, {value: b, label: {zh: 乙, en: B}}]\n"), `choice value "A B"`},
		{"choice label", field("    type: choice\n    choices: [{value: a, label: {zh: 甲}}, {value: b, label: {zh: 乙, en: B}}]\n"), `choice "a": label needs both zh and en`},
		{"choice names twice", field("    type: choice\n    choices: [{value: a, label: {zh: 甲, en: A}}, {value: b, label: {zh: 乙, en: B}, aliases: [甲]}]\n"), `"甲" also names choice "a"`},
		{"when unknown", field("    type: text\n    when: {field: nope, in: [a]}\n"), `field x: when names field "nope", which is unknown or comes later`},
		{"when later", field("    type: text\n    when: {field: decision, in: [pass]}\n") + ok, `field x: when names field "decision", which is unknown or comes later`},
		{"when not a choice", "  - key: y\n    label: {zh: 乙, en: Y}\n    prompt: {zh: 例如, en: e.g.}\n    type: text\n" + field("    type: text\n    when: {field: y, in: [a]}\n"), "which is not a choice"},
		{"when value", ok + field("    type: text\n    when: {field: decision, in: [maybe]}\n"), `"maybe" is not a choice value of decision`},
		{"when without in", ok + field("    type: text\n    when: {field: decision}\n"), "when needs in"},
		{"required twice", ok + field("    type: text\n    required: true\n    required_when: {field: decision, in: [fail]}\n"), "required and required_when together"},
		{"missing en label", "  - key: x\n    label: {zh: 某项}\n    prompt: {zh: a, en: a}\n    type: text\n", "field x: label needs both zh and en"},
		{"missing zh prompt", "  - key: x\n    label: {zh: 某项, en: Thing}\n    prompt: {en: a}\n    type: text\n", "field x: prompt needs both zh and en"},
		{"half a help", field("    type: text\n    help: {zh: 帮助}\n"), "help needs both zh and en"},
		{"max on date", field("    type: date\n    max: 10\n"), "max and min do not apply to type date"},
		{"max zero", field("    type: text\n    max: 0\n"), "max 0 must be between 1 and 4000"},
		{"max too big", field("    type: longtext\n    max: 5000\n"), "max 5000 must be between 1"},
		{"min above max", field("    type: text\n    max: 10\n    min: 20\n"), "min 20 must be between 0 and max 10"},
		{"min on a list", field("    type: list\n    min: 2\n"), "min is only for text"},
		{"number range", field("    type: number\n    min: 5\n    max: 5\n"), "max 5 must be more than min 5"},
		{"ref without kind", field("    type: ref\n"), "type ref needs ref: COL, T, M or R"},
		{"ref kind", field("    type: ref\n    ref: X\n"), `(got "X")`},
		{"ref on text", field("    type: text\n    ref: T\n"), "ref is only for type ref"},
		{"business on text", field("    type: text\n    business: true\n"), "business is only for type duration"},
		{"begins on datetime", field("    type: datetime\n    begins: true\n"), "begins is only for type date"},
		{"period from nothing", field("    type: date\n    period_from: start\n"), `period_from must name an earlier date field`},
		{"period from text", ok + field("    type: date\n    period_from: decision\n"), `(got "decision")`},
		{"bad key", "  - key: Topic\n    label: {zh: 某项, en: Thing}\n    prompt: {zh: a, en: a}\n    type: text\n", `key "Topic" must be a lower-case identifier`},
		{"no key", "  - label: {zh: 某项, en: Thing}\n    prompt: {zh: a, en: a}\n    type: text\n", `field #1: key ""`},
		{"duplicate key", field("    type: text\n") + field("    type: text\n"), `key "x" is used twice`},
		{"alias is another's label", ok + field("    type: text\n    aliases: [结果]\n"), `field x: "结果" also names field decision`},
		{"alias is another's key", ok + field("    type: text\n    aliases: [Decision]\n"), `"decision" also names field decision`},
		{"colon in alias", field("    type: text\n    aliases: [\"a:b\"]\n"), "cannot contain a colon"},
		{"empty alias", field("    type: text\n    aliases: [\"\"]\n"), "an alias is empty"},
		{"unknown yaml key", field("    type: text\n    lable: x\n"), `field x: line 8: unknown key lable`},
		{"wrong yaml type", field("    type: text\n    required: maybe\n"), "cannot unmarshal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"t.yaml": head + tt.body})
			_, err := forms.Load(nil, dir)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), filepath.Join(dir, "t.yaml")):
				t.Errorf("error %v does not name the file", err)
			}
		})
	}
	for name, body := range map[string]string{
		"empty":     "",
		"syntax":    "name: t\nfields: [\n",
		"no fields": "name: t\ntitle: {zh: 表, en: Form}\n",
		"no title":  "name: t\nfields:\n" + ok,
		"bad name":  "name: T-1\ntitle: {zh: 表, en: Form}\nfields:\n" + ok,
	} {
		file := "t.yaml"
		if name == "bad name" {
			file = "T-1.yaml"
		}
		if _, err := forms.Load(nil, writeFiles(t, map[string]string{file: body})); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

// All problems of all files are reported together.
func TestLoadReportsEveryProblem(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": "name: a\ntitle: {zh: 甲}\nfields:\n  - key: x\n    label: {zh: 某, en: X}\n    prompt: {zh: a, en: a}\n    type: nope\n",
		"b.yaml": "name: c\ntitle: {zh: 乙, en: B}\nfields: []\n",
	})
	_, err := forms.Load(nil, dir)
	var le *forms.LoadError
	if !errors.As(err, &le) || len(le.Problems) != 4 {
		t.Fatalf("Load = %v, want 4 problems", err)
	}
}
