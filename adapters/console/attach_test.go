package console

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/collabot/collabot/bot"
)

func TestAttachLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "报告.pdf")
	if err := os.WriteFile(path, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, ok := attachments("附件 " + path + " https://x.example.com/a.pdf " + filepath.Join(dir, "missing.pdf"))
	if !ok || len(got) != 3 {
		t.Fatalf("%v %+v", ok, got)
	}
	if got[0] != (bot.Attachment{Name: "报告.pdf", Size: 5, Link: path, Platform: bot.Console}) {
		t.Errorf("file: %+v", got[0])
	}
	if got[1].Link != "https://x.example.com/a.pdf" || got[1].Name != "" {
		t.Errorf("link: %+v", got[1])
	}
	if got[2].Link != "" || got[2].Name != "missing.pdf" {
		t.Errorf("a missing file keeps no link: %+v", got[2])
	}
	for _, line := range []string{"附件", "附件: x", "attachment x", "attach"} {
		if _, ok := attachments(line); ok {
			t.Errorf("%q read as attachments", line)
		}
	}
}
