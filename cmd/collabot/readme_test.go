package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// walkthrough is the first code block after "## Try it in a minute" in
// the README: what a newcomer types into `collabot chat`.
func walkthrough(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "## Try it in a minute")
	if !ok {
		t.Fatal("the README has no “Try it in a minute” section")
	}
	_, block, ok := strings.Cut(section, "```text\n")
	if !ok {
		t.Fatal("the walkthrough has no text block")
	}
	block, _, ok = strings.Cut(block, "```")
	if !ok {
		t.Fatal("the walkthrough block is not closed")
	}
	return block
}

// TestReadmeWalkthrough runs the README's walkthrough verbatim through the
// real binary: the board appears after 看板 COL-1 although ben's
// acknowledgement form is open, and his 确认 then records it.
func TestReadmeWalkthrough(t *testing.T) {
	script := walkthrough(t)
	if !strings.Contains(script, "看板 COL-1") || !strings.Contains(script, ":as ben") {
		t.Fatalf("the walkthrough changed; this test checks the board after ben's 看板 COL-1:\n%s", script)
	}
	out := session(t, filepath.Join(t.TempDir(), "collabot.db"), "zh-CN", script)
	_, ben, _ := strings.Cut(out, "now speaking as @ben")
	board, confirm, _ := strings.Cut(ben, "↩ 继续")
	if !strings.Contains(board, "COL-1 进度看板") || !strings.Contains(board, "研发部 · 陈斌 Ben · 待确认") {
		t.Errorf("no board after 看板 COL-1:\n%s", ben)
	}
	if !strings.Contains(confirm, "研发部 已承接 COL-1") {
		t.Errorf("ben's 确认 did not record his acknowledgement:\n%s", ben)
	}
}
