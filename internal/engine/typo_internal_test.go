package engine

import "testing"

// TestNearName: which words are typos of a type's name (misspeltType says
// why the lines are where they are).
func TestNearName(t *testing.T) {
	for _, tt := range []struct {
		word, name string
		near       bool
	}{
		{"资源协凋", "资源协调", true}, // a homophone from the input method
		{"资源申情", "资源申请", true},
		{"资源协调申清", "资源协调申请", true},
		{"信息同步对其", "信息同步对齐", true},
		{"资源协调会议", "资源协调", false},   // a real topic that starts like the name
		{"资源协调会议", "资源协调申请", false}, // two characters off
		{"资源盘点会议", "资源协调申请", false},
		{"信息同步会", "信息同步", false}, // a character added: a meeting, not a typo
		{"项目协同推进会", "项目协同推进", false},
		{"问答", "问题", false}, // too short to tell a typo from another word
		{"资料", "资源", false},
		{"资源协调", "资源协调", false}, // the name itself is not a typo of it
		{"resourse", "resource", true},
		{"problme", "problem", true}, // a swap of neighbours: one edit
		{"laon", "loan", true},
		{"product", "project", false}, // two edits: another word
		{"assignment", "alignment", false},
		{"accident", "incident", false},
		{"resuorce", "resource", true},
		{"alignmnt", "alignment", true},
		{"issus", "issue", true},
		{"login", "loan", false}, // 2 edits from a 4-letter name: another word
		{"research", "resource", false},
		{"resolve", "resource", false},
		{"资源", "resource", false}, // other scripts never match
	} {
		if _, near := nearName(tt.word, tt.name, isASCII(tt.word)); near != tt.near {
			t.Errorf("nearName(%q, %q) = %v, want %v", tt.word, tt.name, near, tt.near)
		}
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}
