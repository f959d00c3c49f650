package engine_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/forms"
)

// formCase opens one template in a state where its rule can accept it.
type formCase struct {
	setup  func(h *harness)
	as     string // who fills it in
	opener string // the command that opens it
	choice string // the choice field whose answers are walked, if any
	// group is a field the rule wants when none of a group is answered
	// (minutes: a decision or an action item), given in the full paste.
	group string
}

func (h *harness) meetingTomorrow() {
	h.withTask()
	h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n")
}

func (h *harness) meetingHeld() {
	h.meetingTomorrow()
	h.clock.Set("+1d", h.cfg.Location())
	h.clock.Set("+2h", h.cfg.Location())
}

func (h *harness) riskRaised() {
	h.withTask()
	h.chat(":as ben\n\"\"\"\n风险 上报 COL-1\n问题描述: 环境不稳\n影响范围: 联调\n影响程度: 中\n责任部门: 研发部\n\"\"\"\n确认\n")
}

func (h *harness) accepted() {
	h.deliver()
	h.chat(":as amy\n验收 COL-1 通过\n")
}

func (h *harness) inReview() { h.chat(":as amy\n发起协作\n" + pastedRequest + "确认\n") }

var formCases = map[string]formCase{
	"request":         {nil, "amy", "发起协作", "", ""},
	"acknowledgement": {(*harness).fileRequest, "ben", "确认 COL-1", "decision", ""},
	"review":          {(*harness).inReview, "alice", "初审 COL-1", "decision", ""},
	"task":            {(*harness).withTask, "amy", "任务 新建 COL-1", "", ""},
	"progress":        {(*harness).withTask, "ben", "进度 COL-1", "", "done"},
	"meeting":         {(*harness).withTask, "amy", "会议 安排 COL-1", "", ""},
	"agenda":          {(*harness).meetingTomorrow, "amy", "会议 M-1 议程", "", ""},
	"minutes":         {(*harness).meetingHeld, "amy", "会议 M-1 纪要", "", "decisions"},
	"risk":            {(*harness).withTask, "ben", "风险 上报 COL-1", "severity", ""},
	"risk_response":   {(*harness).riskRaised, "ben", "风险 R-1 响应", "", ""},
	"delivery":        {(*harness).withTask, "ben", "提交成果 COL-1", "", ""},
	"acceptance":      {(*harness).deliver, "amy", "验收 COL-1", "verdict", ""},
	"retrospective":   {(*harness).accepted, "amy", "复盘 COL-1", "", ""},
	"signoff":         {stepsOpen, "bob", "共识函 COL-1", "decision", ""},
	"plan":            {stepsOpen, "ben", "方案 COL-1 提交", "", ""},
	"plan_decision":   {planSubmitted, "lily", "方案 COL-1", "decision", ""},
}

func stepsOpen(h *harness) { h.withSteps() }

func planSubmitted(h *harness) {
	h.withSteps()
	h.chat(":as ben\n方案 COL-1 提交\n分两轮联调\n跳过\n跳过\n确认\n")
}

// sample is a right answer for a field, as a person would type it.
func sample(f *forms.Field) string {
	switch f.Type {
	case forms.TypeDate:
		return "下周五"
	case forms.TypeDateTime:
		return "下周五 10:00"
	case forms.TypeDuration:
		return "1h"
	case forms.TypeDepartment, forms.TypeDepartments:
		return "研发部"
	case forms.TypePerson, forms.TypePeople:
		return "@ben"
	case forms.TypeChoice:
		return f.Choices[0].Value
	case forms.TypeNumber:
		return "1"
	case forms.TypeURL:
		return "https://example.com/doc"
	case forms.TypeActions:
		return "@ben 完成接口调试 下周五"
	case forms.TypeDeliverables:
		return "测试报告, v1, 1, https://docs.example.com/r"
	case forms.TypeStatuses:
		return "T-1: 进行中"
	case forms.TypeRef:
		return "T-1"
	}
	return "样例内容"
}

// TestTemplatesAgreeWithTheirRules walks every template: answering just
// the fields it marks required (for each answer of its deciding choice)
// is enough for the rule behind it, and leaving one of them out makes the
// dialog ask for it before anything is submitted.
func TestTemplatesAgreeWithTheirRules(t *testing.T) {
	h := newHarness(t)
	set := h.eng.Forms
	for _, name := range set.Names() {
		fc, ok := formCases[name]
		if !ok {
			t.Errorf("template %q has no case here: add one so its rule is checked", name)
			continue
		}
		tpl, _ := set.Get(name)
		variants := []string{""}
		if fc.choice != "" {
			f, _ := tpl.Field(fc.choice)
			variants = nil
			for _, c := range f.Choices {
				variants = append(variants, c.Value)
			}
		}
		for _, v := range variants {
			t.Run(name+"/"+v, func(t *testing.T) {
				values := forms.Values{}
				if fc.choice != "" {
					values[fc.choice] = v
				}
				var required []*forms.Field
				for _, f := range tpl.Fields {
					if tpl.Requires(f, values) || f.Key == fc.group {
						required = append(required, f)
						if values[f.Key] == "" {
							values[f.Key] = sample(f)
						}
					}
				}
				paste := func(skip string) string {
					var b strings.Builder
					b.WriteString("\"\"\"\n" + fc.opener + "\n")
					for _, f := range required {
						if f.Key != skip {
							b.WriteString(f.Key + ": " + values[f.Key] + "\n")
						}
					}
					return b.String() + "\"\"\"\n"
				}

				h := newHarness(t)
				if fc.setup != nil {
					fc.setup(h)
				}
				out := after(h.chat(":as "+fc.as+"\n"+paste("")+"确认\n"), "now speaking as @"+fc.as)
				mustLack(t, out, "⚠️", "改正后再", "缺少必填项")

				for _, f := range required {
					if f.Key == fc.choice {
						continue
					}
					h := newHarness(t)
					if fc.setup != nil {
						fc.setup(h)
					}
					out := after(h.chat(":as "+fc.as+"\n"+paste(f.Key)), "now speaking as @"+fc.as)
					mustContain(t, out, "· "+f.Label.ZH+"】")
				}
			})
		}
	}
}
