package engine_test

import (
	"testing"
)

// TestOneLinePasteNamesItsField: a pasted block of one `field: value`
// line, led by the key or label of a field of the open form, answers that
// field (it was stored literally: "Decisions: • decisions: use plan A",
// "已完成: 已完成: 完成60%"); prose that merely holds a colon stays the
// answer.
func TestOneLinePasteNamesItsField(t *testing.T) {
	for _, tc := range []struct {
		name         string
		setup        func(*harness)
		script       string
		wants, lacks []string
	}{
		{"minutes en", (*harness).meetingHeld, ":as amy\n:lang en\nmeeting M-1 minutes\n\"\"\"\ndecisions: use plan A\n\"\"\"\n",
			[]string{"Decisions: use plan A"}, []string{"decisions: use plan A"}},
		{"minutes zh", (*harness).meetingHeld, ":as amy\n会议 M-1 纪要\n\"\"\"\n共识结论: 采用方案A\n\"\"\"\n",
			[]string{"共识结论: 采用方案A"}, []string{"共识结论: 共识结论"}},
		{"progress zh", (*harness).withTask, ":as ben\n进度 COL-1\n\"\"\"\n已完成: 完成60%\n\"\"\"\n",
			[]string{"已完成: 完成60%"}, []string{"已完成: 已完成"}},
		{"progress en", (*harness).withTask, ":as ben\n:lang en\nupdate COL-1\n\"\"\"\nDone: 60% of the API\n\"\"\"\n",
			[]string{"Done: 60% of the API"}, []string{"Done: Done"}},
		{"prose stays", (*harness).meetingHeld, ":as amy\n:lang en\nmeeting M-1 minutes\nnote: ask bob first\nskip\nskip\n",
			[]string{"Decisions: note: ask bob first"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.setup(h)
			out := h.chat(tc.script)
			mustContain(t, out, tc.wants...)
			mustLack(t, out, tc.lacks...)
		})
	}
}
