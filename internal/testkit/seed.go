package testkit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// SeedPeople registers n people met on first contact on Slack, a
// thousand to a transaction, as the engine registers a newcomer.
func SeedPeople(t testing.TB, store bot.Store, ws bot.Workspace, n int) {
	t.Helper()
	ctx := context.Background()
	for done := 0; done < n; done += 1000 {
		err := store.Apply(ctx, ws, "", func(tx bot.Tx) error {
			for k := 0; k < 1000 && done+k < n; k++ {
				id := bot.Identity{Platform: bot.Slack, ID: fmt.Sprintf("U1%07d", done+k)}
				if _, err := tx.RegisterPerson(ctx, bot.Newcomer(id, fmt.Sprintf("Person %d", done+k), "")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// SeedCollaborations files n requests of the demo organisation from 运营部
// (carol, chris and olivia in turn) to 研发部 and 财务部 at now, has both
// accept, and plans tasks tasks in each (owned by ben, david, emma and bob
// in turn, due from 14 days after now down to a day after now, then from
// 14 days again), through the lifecycle rules and the store's Save, 100 to
// a transaction.
func SeedCollaborations(t testing.TB, store bot.Store, dir *bot.Directory, ws bot.Workspace, n, tasks int, now time.Time) {
	t.Helper()
	ctx := context.Background()
	requesters := []bot.PersonID{"carol", "chris", "olivia"}
	owners := []bot.PersonID{"ben", "david", "emma", "bob"}
	for done := 0; done < n; done += 100 {
		err := store.Apply(ctx, ws, "", func(tx bot.Tx) error {
			for k := 0; k < 100 && done+k < n; k++ {
				i := done + k
				id, err := tx.NextID(ctx, bot.KindCollab)
				if err != nil {
					return err
				}
				who := dir.Actor(requesters[i%len(requesters)])
				c, err := bot.NewCollaboration(dir, bot.CollabID(id), who, bot.Request{
					Topic: fmt.Sprintf("活动支持 %d", i), Goal: "活动页面按时上线", Requirements: "接口联调与预算审批",
					Deliverables: "测试报告", Standard: "用例全部通过", Due: now.AddDate(0, 1, 0),
					Departments: []bot.Assignment{{Department: "研发部"}, {Department: "财务部"}},
				}, now)
				if err != nil {
					return err
				}
				if err := c.Submit(dir, who, now); err != nil {
					return err
				}
				for _, a := range []struct{ who, dept string }{{"ben", "研发部"}, {"fiona", "财务部"}} {
					if err := c.Acknowledge(dir.Actor(bot.PersonID(a.who)), a.dept, bot.Answer{Decision: bot.AckAccepted, Scope: "全部"}, now); err != nil {
						return err
					}
				}
				for j := range tasks {
					tid, err := tx.NextID(ctx, bot.KindTask)
					if err != nil {
						return err
					}
					if err := c.AddTask(dir, who, bot.Task{ID: bot.TaskID(tid), Title: "接口联调", Department: "研发部",
						Owner: owners[(i+j)%len(owners)], Due: now.AddDate(0, 0, 14-j%14), Standard: "用例通过"}, now); err != nil {
						return err
					}
				}
				if err := tx.Save(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
