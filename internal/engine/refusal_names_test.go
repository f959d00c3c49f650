package engine_test

import (
	"testing"
)

// TestRefusalsNamePeople: a refusal that names someone names them as the
// notices and replies do, by their name in the directory, never by id
// (bot writes refusals with ids, the engine has the directory).
func TestRefusalsNamePeople(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*harness)
		script string
		want   []string
		lack   []string
	}{
		{"zh: only the head reviews", nil,
			":as amy\n发起协作\n" + pastedRequest + "确认\n初审 COL-1 通过\n",
			[]string{"只有市场部负责人(张丽 Alice)可以初审该需求"}, []string{"(alice)"}},
		{"en: only the head reviews", nil,
			":as amy\n:lang en\nnew\n" + pastedRequest + "confirm\nreview COL-1 approve\n",
			[]string{"Only the head of 市场部 (张丽 Alice) can review this request."}, []string{"(alice)"}},
		{"zh: only the contact acknowledges", (*harness).fileRequest,
			":as ben\n确认 COL-1 财务部 承接\n",
			[]string{"只有财务部的对接人(周婷 Fiona)"}, []string{"(fiona)"}},
		{"en: only the contact acknowledges", (*harness).fileRequest,
			":as ben\n:lang en\nack COL-1 财务部 accept\n",
			[]string{"Only the contact of 财务部 (周婷 Fiona) or its head"}, []string{"(fiona)"}},
		{"zh: already the contact", (*harness).fileRequest,
			":as amy\n对接人 COL-1 财务部 @fiona\n",
			[]string{"周婷 Fiona 已是财务部的对接人"}, []string{"fiona 已是"}},
		{"en: already the contact", (*harness).fileRequest,
			":as amy\n:lang en\ncontact COL-1 财务部 @fiona\n",
			[]string{"周婷 Fiona is already the contact of 财务部."}, []string{"fiona is"}},
		{"zh: already the coordinator", (*harness).fileRequest,
			":as amy\n总协调人 COL-1 @amy\n",
			[]string{"王芳 Amy 已是总协调人"}, nil},
		{"en: already the coordinator", (*harness).fileRequest,
			":as amy\n:lang en\ncoordinator COL-1 @amy\n",
			[]string{"王芳 Amy is already the coordinator."}, nil},
		{"zh: already owns the task", (*harness).withTask,
			":as amy\n任务 T-1 转交 @ben\n",
			[]string{"T-1 已由 陈斌 Ben(研发部)负责"}, nil},
		{"en: already owns the task", (*harness).withTask,
			":as amy\n:lang en\ntask T-1 owner @ben\n",
			[]string{"T-1 is already owned by 陈斌 Ben (研发部)."}, nil},
		{"zh: only the contact submits the plan", (*harness).withPlans,
			":as fiona\n方案 COL-1 提交 研发部\n",
			[]string{"只有研发部的对接人(陈斌 Ben)或负责人可以提交该部门的方案"}, []string{"(ben)"}},
		{"en: only the contact submits the plan", (*harness).withPlans,
			":as fiona\n:lang en\nplan COL-1 submit 研发部\n",
			[]string{"Only 研发部's contact (陈斌 Ben) or head submits its plan."}, []string{"(ben)"}},
		{"zh: only the coordinator renews", steps,
			":as ben\n共识函 COL-1 重新发起\n",
			[]string{"只有总协调人(王芳 Amy)或需求发起人可以重新发起签署"}, []string{"(amy)"}},
		{"en: only the coordinator switches", steps,
			":as ben\n:lang en\nsignoff COL-1 off\n",
			[]string{"Only the coordinator (王芳 Amy) switches"}, []string{"(amy)"}},
		{"en: only the deciders decide", steps,
			":as amy\n:lang en\nplan COL-1 approve 研发部\n",
			[]string{"Only the decision maker (林莉 Lily, Henry Zhou) approves or returns plans."}, []string{"lily, henry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			out := h.chat(tt.script)
			mustContain(t, out, tt.want...)
			mustLack(t, out, tt.lack...)
		})
	}
}

// withPlans is withSteps with the plans alone: COL-1 active, each
// department's plan waiting for its contact.
func (h *harness) withPlans() {
	h.t.Helper()
	h.fileRequest()
	h.chat(":as amy\n方案 COL-1 开\n:as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n")
}

func steps(h *harness) { h.withSteps() }
