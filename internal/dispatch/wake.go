package dispatch

import (
	"container/heap"
	"sync"
	"time"
)

// wakeups remembers when rescheduled rows fall due, so Run and Flush come
// back for them on time instead of at the next interval. It is only a
// hint: the outbox is the truth, and Run's interval catches what a full
// set drops.
type wakeups struct {
	mu sync.Mutex
	h  timeHeap
}

// maxWakeups bounds the memory; beyond it Run's interval takes over.
const maxWakeups = 4096

func (w *wakeups) add(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.h) < maxWakeups {
		heap.Push(&w.h, t)
	}
}

// next is the earliest wake-up after now, forgetting those before it.
func (w *wakeups) next(now time.Time) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.h) > 0 && !w.h[0].After(now) {
		heap.Pop(&w.h)
	}
	if len(w.h) == 0 {
		return time.Time{}, false
	}
	return w.h[0], true
}

type timeHeap []time.Time

func (h timeHeap) Len() int           { return len(h) }
func (h timeHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h timeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *timeHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}
