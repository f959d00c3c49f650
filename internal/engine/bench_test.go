package engine_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// BenchmarkDialogStep measures one answer to an open form, end to end:
// identify the speaker, load the dialog, parse the answer, save the dialog
// and commit, on a real SQLite file with synchronous=FULL. Beside it, the
// store's raw rate for a transaction writing one row, in the same run, so
// the engine's own cost can be read off the difference.
func BenchmarkDialogStep(b *testing.B) {
	ctx := context.Background()
	b.Run("engine", func(b *testing.B) {
		h := newHarness(b)
		m := bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "bench",
			From: bot.Identity{Platform: bot.Console, ID: "amy"}}
		say := func(text string) {
			m.Text = text
			if _, err := h.eng.Handle(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
		say("发起协作")
		// Alternate answering the topic and going back to it: every
		// message is one full dialog step with a commit.
		answers := []string{"新品推广接口调试", "上一步"}
		lat := make([]time.Duration, 0, b.N)
		i := 0
		for b.Loop() {
			start := time.Now()
			say(answers[i%2])
			lat = append(lat, time.Since(start))
			i++
		}
		report(b, lat)
	})
	b.Run("raw-commit", func(b *testing.B) {
		h := newHarness(b)
		lat := make([]time.Duration, 0, b.N)
		i := 0
		for b.Loop() {
			i++
			start := time.Now()
			err := h.store.Apply(ctx, h.ws, "", func(tx bot.Tx) error {
				_, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "bench", Entity: "x", Slot: fmt.Sprint(i)})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		report(b, lat)
	})
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	b.ReportMetric(float64(len(lat))/total.Seconds(), "ops/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
