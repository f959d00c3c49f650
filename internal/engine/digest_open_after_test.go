package engine_test

import "testing"

// TestDigestListsTasksOpenAfterAcceptance: a task still open and overdue
// after acceptance passed (COL-1 waits for its retrospective) counts in
// the department's overdue rate, so the digest lists it too rather than
// saying in the same message that nothing is overdue. Both languages.
func TestDigestListsTasksOpenAfterAcceptance(t *testing.T) {
	for _, tt := range []struct {
		lang       string
		want, lack []string
	}{
		{"zh", []string{"任务延期率 100% (1/1)", "🔴 COL-1 T-1 接口调试"}, []string{"没有延期或等待协助的任务"}},
		{"en", []string{"Overdue rate 100% (1/1)", "🔴 COL-1 T-1 接口调试"}, []string{"Nothing is overdue"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.accepted()                               // T-1 研发部, due 2026-12-10, still open; COL-1 in retrospective
			h.chat(":as bob\n:lang " + tt.lang + "\n") // bob heads 研发部
			bob := section(h.atOut("2026-12-14 09:30"), "→ @bob")
			mustContain(t, bob, tt.want...)
			mustLack(t, bob, tt.lack...)
		})
	}
}
