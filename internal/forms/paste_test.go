package forms_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/forms"
)

func TestParsePaste(t *testing.T) {
	for _, tt := range []struct {
		name, tpl, text string
		raw             map[string]string
		unknown         []string
	}{
		{
			name: "english keys",
			tpl:  "request",
			text: "topic: API testing for the launch\ngoal: launch Q4\ndepartments: engineering, finance\ndue: 2026-12-15\nrequirements: docs\nand integration tests",
			raw: map[string]string{"topic": "API testing for the launch", "goal": "launch Q4",
				"departments": "engineering, finance", "due": "2026-12-15", "requirements": "docs\nand integration tests"},
		},
		{
			name: "chinese labels, full-width colons, continuation lines, an unknown key",
			tpl:  "request",
			text: "协作需求表\n协作主题：新品推广接口调试\n协作背景与目标：Q4 上线\n需协助部门：研发部、财务部\n期望完成时间：12月15日\n备注：随便写写\n  也丢掉\n具体需求描述：\n1. 提供接口文档\n2. 完成联调\n",
			raw: map[string]string{"topic": "新品推广接口调试", "goal": "Q4 上线", "departments": "研发部、财务部",
				"due": "12月15日", "requirements": "1. 提供接口文档\n2. 完成联调"},
			unknown: []string{"备注"},
		},
		{
			name: "markup around keys, remarks, aliases and English labels",
			tpl:  "request",
			text: "**协作主题**: 新品推广\n- Background and goal: Q4\n协作背景与目标(必填)：覆盖\n【需协助部门】: rd\n## Due date: 明天\nSubject: 改名",
			raw:  map[string]string{"topic": "改名", "goal": "Q4\n覆盖", "departments": "rd", "due": "明天"},
		},
		{
			name: "lines inside a list field are content even when they look like keys",
			tpl:  "minutes",
			text: "共识结论: 12月1日上线\n待办事项:\nbob: 完成接口调试, 12/1\n@ben 写文档 12/2\ndecisions: 周三评审",
			raw: map[string]string{"decisions": "12月1日上线\n周三评审",
				"actions": "bob: 完成接口调试, 12/1\n@ben 写文档 12/2"},
		},
		{
			name: "times and links are not keys",
			tpl:  "meeting",
			text: "kind: 启动会\nstart: 明天 10:00\nmaterials:\nhttps://docs.example.com/plan\n10:00 开场",
			raw: map[string]string{"kind": "启动会", "start": "明天 10:00",
				"materials": "https://docs.example.com/plan\n10:00 开场"},
		},
		{
			name: "empty values are no answers",
			tpl:  "risk",
			text: "问题描述: 宕机\n影响范围:\n应对措施：  \n影响程度: 高",
			raw:  map[string]string{"description": "宕机", "severity": "高"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, unknown, ok := template(t, tt.tpl).ParsePaste(tt.text)
			if !ok {
				t.Fatal("not recognised as a paste")
			}
			if !maps.Equal(raw, tt.raw) {
				t.Errorf("raw = %#v\nwant  %#v", raw, tt.raw)
			}
			if !slices.Equal(unknown, tt.unknown) {
				t.Errorf("unknown = %q, want %q", unknown, tt.unknown)
			}
		})
	}
}

func TestPlainAnswerIsNoPaste(t *testing.T) {
	req := template(t, "request")
	for _, text := range []string{"新品推广接口调试", "10:00 开会", "https://docs.example.com/a", "备注: 随便", "", "说明：这不是表单\n第二行"} {
		if raw, unknown, ok := req.ParsePaste(text); ok || raw != nil || unknown != nil {
			t.Errorf("ParsePaste(%q) = %v, %v, %v; want a plain answer", text, raw, unknown, ok)
		}
	}
}

// A whole request pasted in Chinese reads into valid canonical values.
func TestPastedRequestParses(t *testing.T) {
	req := template(t, "request")
	raw, _, ok := req.ParsePaste(pastedRequest)
	if !ok {
		t.Fatal("not a paste")
	}
	v := forms.Values{}
	for key, answer := range raw {
		f, _ := req.Field(key)
		got, err := f.Parse(ctx(t), answer)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		v[key] = got
	}
	if m := req.Missing(v); len(m) != 0 {
		t.Errorf("missing %v", m[0].Key)
	}
	want := forms.Values{"topic": "新品推广接口调试", "departments": "研发部,财务部", "contacts": "ben,fiona",
		"due": "2026-12-15 18:00", "coordinator": "amy", "goal": "Q4 新品上线,12月1日前完成接口联调",
		"requirements": "1. 提供接口文档\n2. 完成联调并出测试报告"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
}

const pastedRequest = `协作主题：新品推广接口调试
协作背景与目标：Q4 新品上线,12月1日前完成接口联调
需协助部门：研发部、财务部
对接人：@陈斌 fiona
具体需求描述：
1. 提供接口文档
2. 完成联调并出测试报告
交付标准：测试用例全部通过
期望完成时间：12月15日
涉及场景/系统：订单系统
协同方式与频次：每日17:00同步
风险提示与应对预案：测试环境不稳定,准备备用环境
总协调人：amy`

func TestPasteOfHugeText(t *testing.T) {
	text := "topic: x\nrequirements: " + strings.Repeat("很长的内容\n", 20000)
	raw, _, ok := template(t, "request").ParsePaste(text)
	if !ok || len(raw["requirements"]) < 100000 {
		t.Fatalf("paste of a long text: ok %v", ok)
	}
	f := templateField(t, "request", "requirements")
	if _, err := f.Parse(ctx(t), raw["requirements"]); err == nil {
		t.Error("a 100 KB requirement was accepted")
	}
}

func TestPasteAliasInsideAListIsContent(t *testing.T) {
	tpl := template(t, "agenda")
	raw, _, ok := tpl.ParsePaste("议程:\n目标:对齐范围\n议题:排期与分工\n预阅读材料: https://docs.example.com/prd")
	if !ok {
		t.Fatal("not read as a paste")
	}
	if want := "目标:对齐范围\n议题:排期与分工"; raw["agenda"] != want {
		t.Errorf("agenda = %q, want %q", raw["agenda"], want)
	}
	if raw["materials"] != "https://docs.example.com/prd" {
		t.Errorf("materials = %q", raw["materials"])
	}
}
