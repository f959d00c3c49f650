package engine_test

import (
	"strings"
	"testing"
)

// TestPastedWrongOptionalAskedAgain: an optional field a pasted form got
// wrong is asked again, showing what was wrong (its label said once), and
// `confirm` before it is answered asks it again rather than submitting
// the default in its place.
func TestPastedWrongOptionalAskedAgain(t *testing.T) {
	for _, tt := range []struct {
		name, script     string
		problem, doubled string
		question         string
		answer           string
		check            func(t *testing.T, h *harness)
	}{
		{"acceptance en", ":as amy\n:lang en\naccept COL-1 fail\n\"\"\"\ncomments: bad\nitems: 1 broken\ndue: 31/12/2026\n\"\"\"\nconfirm\n",
			"Rework due: cannot read “31/12/2026”", "Rework due: Rework due:", "【Acceptance · Rework due】", "2026-12-31\nconfirm\n",
			func(t *testing.T, h *harness) {
				a := h.collab(1).Acceptances
				if len(a) != 1 || a[0].Due.Format("2006-01-02") != "2026-12-31" {
					t.Errorf("acceptance %+v", a)
				}
			}},
		{"acceptance zh", ":as amy\n验收 COL-1 不通过\n\"\"\"\n验收意见: 不行\n整改项: 1 缺退款\n整改期限: 2026-02-30\n\"\"\"\n确认\n",
			"“整改期限”“2026-02-30”这个日期不存在", "整改期限: “整改期限”", "【验收 · 整改期限】", "2026-12-31\n确认\n",
			func(t *testing.T, h *harness) {
				a := h.collab(1).Acceptances
				if len(a) != 1 || a[0].Due.Format("2006-01-02") != "2026-12-31" {
					t.Errorf("acceptance %+v", a)
				}
			}},
		{"risk owner en", ":as amy\n:lang en\nrisk new COL-1\n\"\"\"\ndescription: slow api\nimpact: all\nseverity: medium\ndepartment: 研发部\nowner: zed\n\"\"\"\nconfirm\n",
			"Owner: ", "Owner: Owner:", "【Issue or risk · Owner】", "@ben\nconfirm\n",
			func(t *testing.T, h *harness) {
				if r := h.collab(1).Risks; len(r) != 1 || r[0].Owner != "ben" {
					t.Errorf("risks %+v", r)
				}
			}},
		{"risk due zh", ":as amy\n风险 上报 COL-1\n\"\"\"\n问题描述: 接口慢\n影响范围: 全部\n影响程度: 中\n期望解决时间: 明年\n责任部门: 研发部\n\"\"\"\n确认\n",
			"“期望解决时间”看不懂“明年”", "期望解决时间: “期望解决时间”", "【问题/风险登记 · 期望解决时间】", "2026-12-15\n确认\n",
			func(t *testing.T, h *harness) {
				if r := h.collab(1).Risks; len(r) != 1 || r[0].Due.Format("2006-01-02") != "2026-12-15" {
					t.Errorf("risks %+v", r)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if strings.HasPrefix(tt.name, "acceptance") {
				h.deliver()
			} else {
				h.withTask()
			}
			out := h.chat(tt.script)
			mustLack(t, out, tt.doubled)
			problem := strings.Index(out, tt.problem)
			if problem < 0 {
				t.Fatalf("the problem is not said:\n%s", out)
			}
			// The paste's summary asks the field again, and so does the
			// confirm typed before it is answered: twice in all.
			if n := strings.Count(out[problem:], tt.question); n != 2 {
				t.Fatalf("the wrong field was asked %d times, not twice:\n%s", n, out)
			}
			c := h.collab(1)
			if len(c.Acceptances) != 0 || len(c.Risks) != 0 {
				t.Fatalf("submitted with a default in place of the wrong field:\n%s", out)
			}
			h.chat(tt.answer)
			tt.check(t, h)
		})
	}
}
