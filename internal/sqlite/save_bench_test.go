package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/collabot/collabot/bot"
)

// BenchmarkSave measures Save alone (the statements it writes and what
// it allocates) for the common event on a collaboration of 20 and of
// 200 tasks: one task's status changes. Loading the collaboration and
// committing are outside the timer; BenchmarkApplyUpdate has the whole
// event.
//
//	go test ./internal/sqlite -run '^$' -bench BenchmarkSave -benchmem -benchtime 300x
func BenchmarkSave(b *testing.B) {
	for _, tasks := range []int{20, 200} {
		b.Run(fmt.Sprintf("tasks=%d", tasks), func(b *testing.B) {
			ctx := context.Background()
			s := open(b, "")
			dir := directory("acme")
			planned(b, s, dir, tasks, true)
			statuses := []bot.TaskStatus{bot.TaskInProgress, bot.TaskTodo}
			b.ReportAllocs()
			b.ResetTimer()
			b.StopTimer()
			for i := 0; i < b.N; i++ {
				err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
					c, err := tx.Collaboration(ctx, 1)
					if err != nil {
						return err
					}
					if err := c.SetTaskStatus(dir.Actor("ben"), bot.TaskID(i%tasks+1), statuses[i/tasks%2], "", t0); err != nil {
						return err
					}
					b.StartTimer()
					err = tx.Save(ctx, c)
					b.StopTimer()
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
