package engine_test

import "testing"

// TestRiskLinkNamesWhoseTaskItIs: linking an issue to a task of another
// collaboration says whose task it is to one who may see that one, and
// only that it is not this one's to anyone else ("T-3 was not found"
// read as a typo).
func TestRiskLinkNamesWhoseTaskItIs(t *testing.T) {
	h := newHarness(t)
	h.withIssue() // R-1 of COL-1 owned by ben; T-3 of COL-2 owned by ben
	for _, tt := range []struct{ script, want, lack string }{
		{":as ben\n风险 R-1 关联 T-3\n", "T-3 属于 COL-2,不是 COL-1 的任务", "not found"},
		{":as ben\n:lang en\nrisk R-1 link T-3\n:lang zh\n", "T-3 belongs to COL-2, not COL-1", "not found"},
		// amy has no part in COL-2: it is not named to her.
		{":as amy\n风险 R-1 关联 T-3\n", "T-3 不是 COL-1 的任务:问题只能关联本协作的任务", "COL-2"},
		{":as amy\n:lang en\nrisk R-1 link T-3\n:lang zh\n", "T-3 is not a task of COL-1: an issue is linked only", "COL-2"},
	} {
		out := h.chat(tt.script)
		mustContain(t, out, tt.want)
		mustLack(t, out, tt.lack)
	}
	if c := h.collab(1); len(c.Risks[0].Tasks) != 0 {
		t.Fatalf("linked: %v", c.Risks[0].Tasks)
	}
}

// TestFullWidthDigitsInRefs: a reference typed with full-width digits
// (a Chinese IME: COL-１) reads as the ASCII one, as a full-width dash does.
func TestFullWidthDigitsInRefs(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	mustContain(t, h.chat(":as amy\n看板 COL-１\n"), "进度看板 · COL-1")
	mustContain(t, h.chat(":as amy\n:lang en\nboard ＣＯＬ－１\n:lang zh\n"), "Progress board · COL-1")
}
