package engine

import (
	"strings"
	"sync"

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

// recentEvents remembers the last n event keys answered without a
// write. The store's de-duplication is the durable one for everything
// that changes something; an event that changed nothing and reaches
// another process again is answered again, changing nothing.
type recentEvents struct {
	mu   sync.Mutex
	slot map[string]int
	ring []string
	next int
}

func newRecentEvents(n int) *recentEvents {
	return &recentEvents{slot: make(map[string]int, n), ring: make([]string, n)}
}

// add remembers key and reports whether it was new.
func (r *recentEvents) add(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.slot[key]; ok {
		return false
	}
	if old := r.ring[r.next]; old != "" && r.slot[old] == r.next {
		delete(r.slot, old)
	}
	r.ring[r.next] = key
	r.slot[key] = r.next
	r.next = (r.next + 1) % len(r.ring)
	return true
}

func (r *recentEvents) forget(key string) {
	if strings.TrimSpace(key) == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.slot, key)
}
