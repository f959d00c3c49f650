package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// binary builds the real collabot once for the end-to-end tests.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "collabot-e2e")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "collabot")
		out, err := exec.Command("go", "build", "-o", built, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// session runs `collabot chat` on db with script as standard input.
func session(t *testing.T, db, lang, script string) string {
	t.Helper()
	return sessionAt(t, db, lang, "2026-11-23T10:00:00+08:00", script)
}

// sessionAt is session with the bot's clock starting at now.
func sessionAt(t *testing.T, db, lang, now, script string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "chat", "--now", now)
	cmd.Env = append(os.Environ(), "COLLABOT_DB="+db, "COLLABOT_LANG="+lang)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, out)
	}
	return string(out)
}

func exportJSON(t *testing.T, db, id string) map[string]any {
	t.Helper()
	cmd := exec.Command(binary(t), "export", id, "--format", "json")
	cmd.Env = append(os.Environ(), "COLLABOT_DB="+db)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	return v
}

// flow is one whole collaboration as four people type it: request, first
// review, a needs-info round trip, two acceptances, a kickoff with agenda,
// minutes whose action items become tasks, progress with a task that
// needs help, a high risk and its response, a failed and a passed
// acceptance, the retrospective and the archive.
type flow struct {
	lang  string
	paste bool
	zh    bool // Chinese words (commands, choices, labels) rather than English
}

func (f flow) w(zh, en string) string {
	if f.zh {
		return zh
	}
	return en
}

// form is a form as this flow fills it: pasted in one message with the
// command ("key: value" lines, keys in English or labels in Chinese), or
// answered one question at a time.
func (f flow) form(command string, fields ...[3]string) string {
	var b strings.Builder
	if f.paste {
		b.WriteString("\"\"\"\n" + command + "\n")
		for _, fl := range fields {
			if fl[2] == "" {
				continue
			}
			key := fl[0]
			if f.zh {
				key = fl[1]
			}
			if strings.Contains(fl[2], "\n") {
				b.WriteString(key + ":\n" + fl[2] + "\n")
			} else {
				b.WriteString(key + ": " + fl[2] + "\n")
			}
		}
		b.WriteString("\"\"\"\n")
	} else {
		b.WriteString(command + "\n")
		for _, fl := range fields {
			switch {
			case fl[2] == "":
				b.WriteString(f.w("跳过", "skip") + "\n")
			case strings.Contains(fl[2], "\n"):
				b.WriteString("\"\"\"\n" + fl[2] + "\n\"\"\"\n")
			default:
				b.WriteString(fl[2] + "\n")
			}
		}
	}
	b.WriteString(f.w("确认", "confirm") + "\n")
	return b.String()
}

func (f flow) script() string {
	w := f.w
	var s strings.Builder
	add := func(lines ...string) {
		for _, l := range lines {
			s.WriteString(l + "\n")
		}
	}
	add(":as amy")
	s.WriteString(f.form(w("发起协作", "new"),
		[3]string{"topic", "协作主题", "新品推广接口调试"},
		[3]string{"goal", "协作背景与目标", "Q4 新品上线,12月18日前完成接口调试"},
		[3]string{"departments", "需协助部门", w("研发部、财务部", "engineering, finance")},
		[3]string{"contacts", "对接人", ""},
		[3]string{"requirements", "具体需求描述", "完成产品接口调试并提供测试报告"},
		[3]string{"deliverables", "交付物", "测试报告"},
		[3]string{"standard", "交付标准", "用例全部通过"},
		[3]string{"due", "期望完成时间", "2026-12-18"},
		[3]string{"scope", "涉及场景/系统", ""},
		[3]string{"cadence", "协同方式与频次", "每日17:00同步"},
		[3]string{"risks", "风险提示与应对预案", ""},
		[3]string{"coordinator", "总协调人", ""}))
	add(":as alice", w("初审 COL-1 通过", "review COL-1 approve"))
	add(":as ben")
	s.WriteString(f.form(w("确认 COL-1 需补充信息", "ack COL-1 info"),
		[3]string{"question", "需补充的信息", "测试标准具体是什么?"}))
	add(":as amy", w("补充 COL-1 研发部 见用例清单,覆盖下单与支付", "answer COL-1 engineering 见用例清单,覆盖下单与支付"))
	add(":as ben")
	s.WriteString(f.form(w("确认 COL-1 承接", "ack COL-1 accept"),
		[3]string{"scope", "承接范围", "接口开发与联调"},
		[3]string{"resources", "资源需求", "测试账号 2 个"},
		[3]string{"risks", "风险提示", ""}))
	add(":as fiona")
	s.WriteString(f.form(w("确认 COL-1 承接", "ack COL-1 accept"),
		[3]string{"scope", "承接范围", ""}, [3]string{"resources", "资源需求", ""}, [3]string{"risks", "风险提示", ""}))
	add(":as amy")
	s.WriteString(f.form(w("会议 安排 COL-1", "meeting new COL-1"),
		[3]string{"kind", "会议类型", w("启动会", "kickoff")},
		[3]string{"start", "会议时间", w("明天 10:00", "tomorrow 10:00")},
		[3]string{"duration", "时长", w("1小时", "1h")},
		[3]string{"attendees", "参会人", w("ben、fiona、amy", "ben, fiona, amy")},
		[3]string{"agenda", "议程", ""}, [3]string{"materials", "预阅读材料", ""}))
	s.WriteString(f.form(w("会议 M-1 议程", "meeting M-1 agenda"),
		[3]string{"agenda", "议程", "目标:对齐范围\n议题:排期与分工"},
		[3]string{"materials", "预阅读材料", "https://docs.example.com/prd"}))
	add(":clock +25h")
	s.WriteString(f.form(w("会议 M-1 纪要", "meeting M-1 minutes"),
		[3]string{"decisions", "共识结论", "范围确定\n12月10日前完成联调"},
		[3]string{"actions", "待办事项", "@ben 完成接口调试 2026-12-10\n@fiona 提供测试账号 2026-12-01"},
		[3]string{"risks", "风险", ""}))
	add(":as ben", w("会议 M-1 确认", "meeting M-1 confirm"), ":as fiona", w("会议 M-1 确认", "meeting M-1 confirm"))
	add(":as ben")
	s.WriteString(f.form(w("进度 COL-1", "update COL-1"),
		[3]string{"done", "已完成", "下单接口联通"},
		[3]string{"pending", "未完成", "支付回调"},
		[3]string{"problems", "遇到的问题", "缺测试账号"},
		[3]string{"status", "任务状态", w("T-1 需协助 缺测试账号", "T-1 needs_help 缺测试账号")}))
	s.WriteString(f.form(w("风险 上报 COL-1", "risk new COL-1"),
		[3]string{"description", "问题描述", "核心支付接口不可用"},
		[3]string{"impact", "影响范围", "上线可能延期"},
		[3]string{"severity", "影响程度", w("高", "high")},
		[3]string{"due", "期望解决时间", ""},
		[3]string{"department", "责任部门", w("研发部", "engineering")},
		[3]string{"owner", "责任人", "@bob"},
		[3]string{"mitigation", "应对措施", "切换备用通道"}))
	add(":as bob")
	s.WriteString(f.form(w("风险 R-1 响应", "risk R-1 respond"),
		[3]string{"response", "解决方案", "已切换备用通道,今晚验证"}, [3]string{"due", "预计解决时间", ""}))
	// Resolved before the end: archiving would otherwise ask again.
	add(w("风险 R-1 解决 备用通道验证通过", "risk R-1 resolve 备用通道验证通过"))
	add(":as fiona", w("任务 T-2 完成", "task T-2 done"), ":as ben", w("任务 T-1 完成", "task T-1 done"))
	deliver := f.form(w("提交成果 COL-1", "deliver COL-1"),
		[3]string{"items", "成果交付清单", "接口文档, v1, 1, https://docs.example.com/api\n测试报告, v1, 1, https://docs.example.com/report"},
		[3]string{"selfcheck", "成果自检", "已按交付标准自检,用例全部通过"})
	s.WriteString(deliver)
	add(":as amy")
	s.WriteString(f.form(w("验收 COL-1 不通过", "accept COL-1 fail"),
		[3]string{"items", "整改项", "补充性能测试"}, // asked before the comments on a fail
		[3]string{"comments", "验收意见", "缺少性能测试"},
		[3]string{"due", "整改期限", "2026-12-15"}))
	add(":as ben")
	s.WriteString(deliver)
	add(":as amy", w("验收 COL-1 通过", "accept COL-1 pass"))
	s.WriteString(f.form(w("复盘 COL-1", "retro COL-1"),
		[3]string{"highlights", "协作亮点", "响应快"},
		[3]string{"improvements", "待改进点", "测试环境准备晚"},
		[3]string{"actions", "后续措施", ""}))
	add(w("归档 COL-1", "archive COL-1"))
	return s.String()
}

// essence is what must be the same however the collaboration was typed:
// everything but times and generated timestamps.
func essence(v map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"id", "status", "topic", "goal", "requirements", "standard", "requester", "coordinator", "requesting_department"} {
		out[k] = v[k]
	}
	pick := func(list any, keys ...string) []map[string]any {
		var rows []map[string]any
		items, _ := list.([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			row := map[string]any{}
			for _, k := range keys {
				row[k] = m[k]
			}
			rows = append(rows, row)
		}
		return rows
	}
	out["departments"] = pick(v["departments"], "name", "contact", "ack_status", "scope", "resources", "question", "answer")
	out["tasks"] = pick(v["tasks"], "id", "title", "owner", "department", "status", "overdue")
	out["meetings"] = pick(v["meetings"], "id", "kind", "attendees", "agenda", "materials", "minutes_status", "decisions", "actions")
	out["risks"] = pick(v["risks"], "id", "severity", "status", "owner", "response")
	out["deliverables"] = pick(v["deliverables"], "delivery", "name", "version", "quantity", "link")
	out["acceptances"] = pick(v["acceptances"], "result", "comments", "items")
	out["retrospective"] = v["retrospective"].(map[string]any)["highlights"]
	out["progress"] = pick(v["progress"], "person", "done", "not_done", "problems")
	var actions []any
	for _, e := range pick(v["timeline"], "actor", "action", "subject") {
		actions = append(actions, fmt.Sprint(e["actor"], " ", e["action"], " ", e["subject"]))
	}
	out["timeline"] = actions
	return out
}

func TestWholeCollaborationThroughTheTerminal(t *testing.T) {
	flows := map[string]flow{
		"zh-CN step by step":         {lang: "zh-CN", zh: true},
		"en step by step":            {lang: "en"},
		"pasted with English keys":   {lang: "en", paste: true},
		"pasted with Chinese labels": {lang: "zh-CN", paste: true, zh: true},
	}
	var reference map[string]any
	var refName string
	for _, name := range []string{"zh-CN step by step", "en step by step", "pasted with English keys", "pasted with Chinese labels"} {
		f := flows[name]
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "collabot.db")
			out := session(t, db, f.lang, f.script())
			for _, bad := range []string{"⚠️", "error", "没看懂", "did not understand"} {
				if strings.Contains(out, bad) {
					t.Errorf("the transcript shows %q:\n%s", bad, out)
					break
				}
			}
			v := exportJSON(t, db, "COL-1")
			checkEveryStep(t, v)
			e := essence(v)
			if reference == nil {
				reference, refName = e, name
				return
			}
			for k, want := range reference {
				if got := e[k]; !reflect.DeepEqual(got, want) {
					a, _ := json.Marshal(got)
					b, _ := json.Marshal(want)
					t.Errorf("%s differs from %q:\n got %s\nwant %s", k, refName, a, b)
				}
			}
		})
	}
}

// checkEveryStep reads the export the way an auditor would.
func checkEveryStep(t *testing.T, v map[string]any) {
	t.Helper()
	want := map[string]any{"id": "COL-1", "status": "archived", "topic": "新品推广接口调试", "requester": "amy", "coordinator": "amy"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %v, want %v", k, v[k], w)
		}
	}
	depts := v["departments"].([]any)
	if len(depts) != 2 {
		t.Fatalf("departments: %v", depts)
	}
	for _, d := range depts {
		if d.(map[string]any)["ack_status"] != "accepted" {
			t.Errorf("department %v", d)
		}
	}
	if q := depts[0].(map[string]any)["question"]; q != "测试标准具体是什么?" {
		t.Errorf("the needs-info round trip is missing: %v", depts[0])
	}
	tasks := v["tasks"].([]any)
	if len(tasks) != 2 || tasks[0].(map[string]any)["owner"] != "ben" || tasks[1].(map[string]any)["owner"] != "fiona" {
		t.Errorf("action items did not become tasks: %v", tasks)
	}
	m := v["meetings"].([]any)[0].(map[string]any)
	if m["kind"] != "kickoff" || m["minutes_status"] != "confirmed" || len(m["agenda"].([]any)) != 2 {
		t.Errorf("meeting: %v", m)
	}
	r := v["risks"].([]any)[0].(map[string]any)
	if r["severity"] != "high" || r["status"] != "resolved" || r["response"] == nil || r["owner"] != "bob" {
		t.Errorf("risk: %v", r)
	}
	acc := v["acceptances"].([]any)
	if len(acc) != 2 || acc[0].(map[string]any)["result"] != "fail" || acc[1].(map[string]any)["result"] != "pass" {
		t.Errorf("acceptances: %v", acc)
	}
	if v["acceptance"].(map[string]any)["result"] != "pass" {
		t.Errorf("acceptance: %v", v["acceptance"])
	}
	if len(v["deliverables"].([]any)) != 4 {
		t.Errorf("deliverables (2 items, delivered twice): %v", v["deliverables"])
	}
	var actions []string
	for _, e := range v["timeline"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	joined := strings.Join(actions, " ")
	for _, a := range []string{"submitted_for_review", "review_approved", "ack_needs_info", "info_supplied", "ack_accepted",
		"activated", "meeting_scheduled", "agenda_set", "minutes_recorded", "minutes_confirmed_by_all", "task_needs_help",
		"progress_posted", "risk_raised", "risk_escalated", "risk_responded", "risk_resolved", "task_done", "delivered", "acceptance_fail",
		"acceptance_pass", "retrospective", "archived"} {
		if !strings.Contains(joined, a) {
			t.Errorf("timeline lacks %s: %s", a, joined)
		}
	}
}
