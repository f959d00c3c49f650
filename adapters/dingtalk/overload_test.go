package dingtalk_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// busyOnce is an engine whose store is behind the first time: the event
// is not recorded (bot.ErrOverloaded); afterwards it keeps up.
type busyOnce struct {
	h    dingtalk.Handler
	busy atomic.Bool
}

func (b *busyOnce) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	if b.busy.CompareAndSwap(true, false) {
		return nil, fmt.Errorf("sqlite: apply: %w", bot.ErrOverloaded)
	}
	return b.h.Handle(ctx, m)
}

// TestOverloadedFrameNotAcknowledged: a frame the store could not record
// in time is left unacknowledged and counted, never acknowledged
// unrecorded; DingTalk's redelivery is then recorded and answered once.
func TestOverloadedFrameNotAcknowledged(t *testing.T) {
	var refused atomic.Int32
	var busy *busyOnce
	e := newEnv(t, func(o *dingtalk.Options) {
		busy = &busyOnce{h: o.Handler}
		busy.busy.Store(true)
		o.Handler = busy
		o.Overloaded = func() { refused.Add(1) }
	})
	e.run()
	fr := e.fake.Message(launch, amy, "发起协作")
	e.fake.Deliver(fr)
	e.fake.WaitFor(t, "the frame refused", func(v *dingtest.View) bool { return v.Nacked(fr.ID()) >= 1 })
	e.fake.WaitFor(t, "nothing acknowledged", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 0 })
	if n := refused.Load(); n != 1 {
		t.Errorf("%d refusals counted, want 1", n)
	}
	e.fake.Deliver(fr)
	e.fake.WaitFor(t, "the redelivery acknowledged", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 1 })
	e.say(launch, amy, "新品推广接口调试", "协作背景与目标")
}
