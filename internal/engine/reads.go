package engine

import (
	"github.com/collabot/collabot/bot"
)

// readCommands only read: list, show, export, board, tasks and help are
// answered from a read transaction (see Handle).
var readCommands = map[string]bool{"help": true, "list": true, "show": true, "export": true, "board": true, "tasks": true}

// readOnly reports whether m names a command that only reads. It is a
// guess on the words alone; what the command then does decides (a write
// in the read transaction sends it to the writer).
func (e *Engine) readOnly(m bot.Message) bool {
	text := m.Text
	if len(m.Attachments) > 0 {
		return false // the files join a form
	}
	if m.Action != nil {
		if m.Action.ID != "command" {
			return false
		}
		text = m.Action.Value
	}
	name, _, _ := e.parse(text)
	if name == "" {
		return false
	}
	cmd, ok := e.lookup(name)
	return ok && readCommands[cmd.names[0]]
}
