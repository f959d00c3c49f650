package engine_test

import "testing"

// TestRefusalsAfterADecisionNameItAndTheWayOut: a second verdict, a
// review after the approval and a delivery under acceptance each say
// what happened (who, when) and what can still be done, in both
// languages.
func TestRefusalsAfterADecisionNameItAndTheWayOut(t *testing.T) {
	for _, tt := range []struct {
		name   string
		setup  func(*harness)
		script string
		wants  []string
	}{
		{"review zh", (*harness).inReview, ":as alice\n初审 COL-1 通过\n初审 COL-1 驳回 写错了\n",
			[]string{"COL-1 已由 张丽 Alice 于 2026-11-23 10:00 初审通过", "`修改 COL-1`", "`撤销 COL-1 <原因>`"}},
		{"review en", (*harness).inReview, ":as alice\n:lang en\nreview COL-1 approve\nreview COL-1 reject wrong\n",
			[]string{"张丽 Alice approved COL-1 in first review on 2026-11-23 10:00", "`edit COL-1`", "`cancel COL-1 <reason>`"}},
		{"accept zh", (*harness).accepted, ":as amy\n验收 COL-1 不通过\n",
			[]string{"COL-1 的第 1 次交付已于 2026-11-23 10:00 由 王芳 Amy 验收通过", "`风险 上报 COL-1`", "总协调人(王芳 Amy)"}},
		{"accept en", (*harness).accepted, ":as amy\n:lang en\naccept COL-1 fail\n",
			[]string{"Delivery 1 of COL-1 passed acceptance on 2026-11-23 10:00 (王芳 Amy)", "`risk new COL-1`"}},
		{"deliver zh", (*harness).deliver, ":as ben\n交付 COL-1\n",
			[]string{"COL-1 的第 1 次交付(2026-11-23 10:00 提交)正在等待验收", "需求发起人(王芳 Amy)", "`验收 COL-1 不通过`"}},
		{"deliver en", (*harness).deliver, ":as ben\n:lang en\ndeliver COL-1\n",
			[]string{"Delivery 1 of COL-1 (submitted 2026-11-23 10:00) is waiting for acceptance", "the requester (王芳 Amy)", "`accept COL-1 fail`"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.setup(h)
			out := h.chat(tt.script)
			mustContain(t, out, tt.wants...)
			mustLack(t, out, "不在初审阶段", "not waiting for review", "没有待验收", "no delivery waiting", "只有进行中的协作", "only while the collaboration is active")
		})
	}
}

// TestSignoffTwiceSaysItIsSigned: a head who signed is the right person;
// asked to sign or refuse again she hears that she signed, when, with
// what remarks, and the way on.
func TestSignoffTwiceSaysItIsSigned(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.chat(":as bob\n共识函 COL-1 签署 接口范围待复核\n")
	out := h.chat(":as bob\n共识函 COL-1 拒签 签错了\n")
	mustContain(t, out, "李强 Bob 已于 2026-11-23 10:00 代表研发部签署 COL-1 的合作目标共识函,签署意见:“接口范围待复核”", "总协调人(王芳 Amy)", "`风险 上报 COL-1`")
	mustLack(t, out, "由各协助部门的负责人为本部门签署")
	out = h.chat(":as bob\n:lang en\nsignoff COL-1 refuse wrong\n:lang zh\n")
	mustContain(t, out, "李强 Bob already signed the goal consensus of COL-1 for 研发部 on 2026-11-23 10:00, with the remarks “接口范围待复核”", "tell the coordinator (王芳 Amy)")

	// Once every head has signed the letter is complete: still her answer.
	h.chat(":as frank\n共识函 COL-1 签署\n")
	mustContain(t, h.chat(":as frank\n共识函 COL-1 拒签 不对\n"), "孙伟 Frank 已于 2026-11-23 10:00 代表财务部签署 COL-1 的合作目标共识函,未附意见")
}
