package dingtalk_test

import (
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
)

// withData rewrites fields of a frame's callback data.
func withData(t *testing.T, fr dingtest.Frame, set map[string]any) dingtest.Frame {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(fr.Data), &d); err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		d[k] = v
	}
	raw, _ := json.Marshal(d)
	fr.Data = string(raw)
	return fr
}

// TestForeignCorpRefused (issue 14, row 9): a robot message or card click
// whose corpId is not the organisation's is acknowledged, counted and
// dropped — the engine never hears it and nothing is sent. The old
// adapter handed every frame to the engine whatever its corpId.
func TestForeignCorpRefused(t *testing.T) {
	for _, configured := range []string{"dingcorp", ""} {
		name := "configured"
		if configured == "" {
			name = "pinned from the first frame"
		}
		t.Run(name, func(t *testing.T) {
			rec := okRecorder()
			var foreign atomic.Int32
			e := newEnv(t, func(o *dingtalk.Options) {
				o.Handler, o.Corp, o.Foreign = rec, configured, func() { foreign.Add(1) }
			})
			e.run()
			dm := dingtest.DirectChat(ben.StaffID)
			// The organisation's own frame first: answered (and, unconfigured, pinned).
			e.answers(deliver(e, e.fake.Message(dm, ben, "帮助")), "ok")
			frames := []dingtest.Frame{
				withData(t, e.fake.Message(dm, ben, "list all"), map[string]any{"chatbotCorpId": "evilcorp", "senderCorpId": "evilcorp"}),
				withData(t, e.fake.Message(dm, ben, "iam 研发部"), map[string]any{"senderCorpId": "evilcorp"}),
				withData(t, e.fake.Message(dingtest.GroupChat("cid-g9", "外部群"), amy, "board"), map[string]any{"chatbotCorpId": "evilcorp"}),
				withData(t, e.fake.CardClick(ben.StaffID, "IM_ROBOT", dm.ID, map[string]string{"command": "show COL-1"}), map[string]any{"corpId": "evilcorp"}),
			}
			sentBefore := len(e.fake.Sent())
			for _, fr := range frames {
				deliver(e, fr)
			}
			if n := rec.Len(); n != 1 {
				t.Errorf("the engine heard %d messages, want only the organisation's own", n)
			}
			if got := int(foreign.Load()); got != len(frames) {
				t.Errorf("counted %d foreign frames, want %d", got, len(frames))
			}
			if n := len(e.fake.Sent()) - sentBefore; n != 0 {
				t.Errorf("%d messages sent in answer to foreign frames", n)
			}
		})
	}
}

// deliver sends fr and waits for its acknowledgement.
func deliver(e *env, fr dingtest.Frame) dingtest.Frame {
	e.t.Helper()
	e.fake.Deliver(fr)
	e.fake.WaitFor(e.t, "the ack of "+fr.ID(), func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 1 })
	return fr
}
