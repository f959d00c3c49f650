package testkit

import (
	"context"
	"sync"

	"github.com/collabot/collabot/bot"
)

// Recorder is a message handler for adapter tests: it keeps what the
// adapter hands the engine and answers with Answer (nothing when nil, so
// no reply goes anywhere a test input made up).
type Recorder struct {
	Answer func(bot.Message) []bot.Reply

	mu   sync.Mutex
	msgs []bot.Message
}

// Handle implements the adapters' Handler.
func (r *Recorder) Handle(_ context.Context, m bot.Message) ([]bot.Reply, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	if r.Answer == nil {
		return nil, nil
	}
	return r.Answer(m), nil
}

// Take returns the messages kept so far and forgets them.
func (r *Recorder) Take() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}

// Len is how many messages are kept.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// Last is the newest message kept.
func (r *Recorder) Last() bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.msgs[len(r.msgs)-1]
}
