package dingtalk

import "sync"

// recent remembers the last event ids handled, so that a frame
// redelivered soon after is acknowledged without a store transaction, and
// the ids being handled now. The store's de-duplication stays the
// authority; this only saves work.
type recent struct {
	mu     sync.Mutex
	ids    map[string]struct{}
	ring   []string
	next   int
	flying map[string]chan struct{} // closed when that id's handling ends
}

func newRecent(n int) *recent {
	return &recent{ids: make(map[string]struct{}, n), ring: make([]string, n), flying: map[string]chan struct{}{}}
}

// begin claims id for handling. If another delivery of it is being
// handled, it returns false and a channel closed when that one ends.
func (r *recent) begin(id string) (bool, <-chan struct{}) {
	if id == "" {
		return true, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch, ok := r.flying[id]; ok {
		return false, ch
	}
	r.flying[id] = make(chan struct{})
	return true, nil
}

// end releases id claimed by begin.
func (r *recent) end(id string) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch, ok := r.flying[id]; ok {
		close(ch)
		delete(r.flying, id)
	}
}

func (r *recent) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.ids[id]
	return ok
}

func (r *recent) add(id string) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.ids[id]; ok {
		return
	}
	delete(r.ids, r.ring[r.next])
	r.ring[r.next] = id
	r.ids[id] = struct{}{}
	r.next = (r.next + 1) % len(r.ring)
}

// poster runs reply jobs after the frames that caused them were
// acknowledged: in order within a conversation (a form's questions must
// not arrive shuffled), conversations side by side, at most limit posting
// at once.
type poster struct {
	mu     sync.Mutex
	queues map[string][]func() // a key is present while its runner lives
	slots  chan struct{}
	wg     sync.WaitGroup
}

func newPoster(limit int) *poster {
	return &poster{queues: map[string][]func(){}, slots: make(chan struct{}, limit)}
}

func (p *poster) enqueue(key string, job func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q, running := p.queues[key]
	p.queues[key] = append(q, job)
	if !running {
		p.wg.Add(1)
		go p.run(key)
	}
}

func (p *poster) run(key string) {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		q := p.queues[key]
		if len(q) == 0 {
			delete(p.queues, key)
			p.mu.Unlock()
			return
		}
		job := q[0]
		q[0] = nil
		p.queues[key] = q[1:]
		p.mu.Unlock()
		p.slots <- struct{}{}
		job()
		<-p.slots
	}
}

// wait returns when every queued job has run.
func (p *poster) wait() { p.wg.Wait() }
