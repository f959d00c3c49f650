package console

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/collabot/collabot/bot"
)

// attachWords start a line that shares files in the terminal, which has
// no upload button: "附件 ./报告.pdf" or "attach https://…/spec".
var attachWords = []string{"附件", "attach"}

// attachments reads such a line as the references the bot keeps: a web
// link as it is, a file path made absolute with its size. Nothing is
// copied; the terminal and the bot share the machine.
func attachments(line string) ([]bot.Attachment, bool) {
	word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	if !containsFold(attachWords, word) || strings.TrimSpace(rest) == "" {
		return nil, false
	}
	var out []bot.Attachment
	for _, ref := range strings.Fields(rest) {
		a := bot.Attachment{Link: ref, Platform: bot.Console}
		if !strings.Contains(ref, "://") {
			if abs, err := filepath.Abs(ref); err == nil {
				a.Link = abs
			}
			a.Name = filepath.Base(ref)
			st, err := os.Stat(a.Link)
			if err != nil || st.IsDir() {
				a.Link = "" // no such file: the bot says so
			} else {
				a.Size = st.Size()
			}
		}
		out = append(out, a)
	}
	return out, true
}

func containsFold(words []string, w string) bool {
	for _, x := range words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}
