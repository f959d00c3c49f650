package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
)

// Send results, the result label of collabot_sends_total.
const (
	resultOK            = "ok"
	resultThrottled     = "throttled"
	resultFailed        = "failed"
	resultUndeliverable = "undeliverable"
)

// result classifies a Send's error the way the dispatcher treats it.
func result(err error) string {
	switch {
	case err == nil:
		return resultOK
	case isThrottled(err):
		return resultThrottled
	case errors.Is(err, bot.ErrUndeliverable):
		return resultUndeliverable
	default:
		return resultFailed
	}
}

func isThrottled(err error) bool {
	_, ok := bot.RetryAfter(err)
	return ok
}

// Sent records one notification's send on platform p: its result, its
// latency d, and a throttle when the platform asked to slow down.
func (m *Metrics) Sent(p bot.Platform, err error, d time.Duration) {
	m.sent(p, result(err), d)
}

func (m *Metrics) sent(p bot.Platform, res string, d time.Duration) {
	m.sends.WithLabelValues(string(p), res).Inc()
	m.sendSeconds.WithLabelValues(string(p)).Observe(d.Seconds())
	if res == resultThrottled {
		m.throttled.WithLabelValues(string(p)).Inc()
	}
}

// batchSender is the optional method the dispatcher looks for to merge
// several notifications for one group into one message.
type batchSender interface {
	SendBatch(ctx context.Context, ns []bot.Notification) error
}

// deliveredIDs is what a partial batch error may offer (the DingTalk
// adapter's *BatchError does): the outbox ids that did go out.
type deliveredIDs interface {
	DeliveredIDs() []int64
}

// Senders wraps each sender so every notification it sends is counted by
// Sent. A sender with SendBatch keeps it: the wrapper of such a sender
// has SendBatch too, and only then, so the dispatcher's type assertion
// gives the same answer as on the sender itself.
func (m *Metrics) Senders(ss ...bot.Sender) []bot.Sender {
	out := make([]bot.Sender, len(ss))
	for i, s := range ss {
		w := &sender{m: m, s: s}
		if b, ok := s.(batchSender); ok {
			bs := &batchingSender{sender: w, b: b}
			if d, ok := s.(directBatcher); ok {
				out[i] = &directBatchingSender{batchingSender: bs, d: d}
				continue
			}
			out[i] = bs
			continue
		}
		if r, ok := s.(resender); ok {
			out[i] = &resendingSender{sender: w, r: r}
			continue
		}
		out[i] = w
	}
	return out
}

type sender struct {
	m *Metrics
	s bot.Sender
}

func (w *sender) Platform() bot.Platform { return w.s.Platform() }

func (w *sender) Send(ctx context.Context, n bot.Notification) error {
	began := time.Now()
	err := w.s.Send(ctx, n)
	w.m.Sent(w.s.Platform(), err, time.Since(began))
	return err
}

// resender is a sender that looks for a row in doubt before posting it
// again (dispatch.Resender); the wrapper keeps that visible.
type resender interface {
	Resend(ctx context.Context, n bot.Notification, since time.Time) error
}

type resendingSender struct {
	*sender
	r resender
}

// Resend counts as a send: it posts what was not found.
func (w *resendingSender) Resend(ctx context.Context, n bot.Notification, since time.Time) error {
	began := time.Now()
	err := w.r.Resend(ctx, n, since)
	w.m.Sent(w.s.Platform(), err, time.Since(began))
	return err
}

type batchingSender struct {
	*sender
	b batchSender
}

// directBatcher is a batch sender that also sends one text to several
// people in one call (dispatch.DirectBatcher); the wrapper keeps that
// visible, so the dispatcher still hands it such messages together.
type directBatcher interface {
	DirectBatch() int
}

type directBatchingSender struct {
	*batchingSender
	d directBatcher
}

func (w *directBatchingSender) DirectBatch() int { return w.d.DirectBatch() }

// SendBatch counts each notification of the batch, observing the whole
// call's latency for each so the histogram's count matches the sends.
// When the error says which ids went out, those count as ok.
func (w *batchingSender) SendBatch(ctx context.Context, ns []bot.Notification) error {
	began := time.Now()
	err := w.b.SendBatch(ctx, ns)
	d := time.Since(began)
	p := w.s.Platform()
	res := result(err)
	var delivered map[int64]bool
	var part deliveredIDs
	if err != nil && errors.As(err, &part) {
		delivered = map[int64]bool{}
		for _, id := range part.DeliveredIDs() {
			delivered[id] = true
		}
	}
	for _, n := range ns {
		if delivered[n.ID] {
			w.m.sent(p, resultOK, d)
			continue
		}
		w.m.sent(p, res, d)
	}
	return err
}
