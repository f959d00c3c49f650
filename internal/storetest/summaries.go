package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// testSummariesCountAsTheDocument: what Summaries counts without loading
// documents is what Collaboration.Summarize counts from the document, for
// every filter a list uses and at instants before, at and after the
// tasks' due dates (a task due exactly now is not overdue yet).
func testSummariesCountAsTheDocument(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	statuses := []bot.TaskStatus{bot.TaskTodo, bot.TaskInProgress, bot.TaskNeedsHelp, bot.TaskBlocked, bot.TaskDone, bot.TaskCancelled}
	acks := []bot.AckStatus{bot.AckPending, bot.AckAccepted, bot.AckDeclined, bot.AckNeedsInfo}
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for id := bot.CollabID(1); id <= 12; id++ {
			c := &bot.Collaboration{ID: id, Workspace: "acme", Status: bot.StatusActive, Requester: "amy", Coordinator: "amy",
				RequestingDept: "市场部", Group: fmt.Sprintf("slack:C%d", int(id)%2), CreatedAt: t0,
				Request: bot.Request{Topic: fmt.Sprintf("topic %d", id), Goal: "g", Requirements: "r", Due: t0.AddDate(0, 1, 0),
					Departments: []bot.Assignment{{Department: "研发部", Contact: "ben"}, {Department: "财务部", Contact: "fiona"}}},
				Tasks: []*bot.Task{{ID: bot.TaskID(10 * id), Title: "a", Owner: "ben", Status: bot.TaskInProgress}}}
			if id%3 == 0 {
				c.Status = bot.StatusAwaitingAck
			}
			for i, a := range c.Request.Departments {
				c.Acks = append(c.Acks, bot.Acknowledgement{Department: a.Department, Status: acks[(int(id)+i)%len(acks)]})
			}
			for i := range int(id) % 7 {
				c.Tasks = append(c.Tasks, &bot.Task{ID: bot.TaskID(1000*int(id) + i), Title: "x", Owner: "ben",
					Status: statuses[(int(id)+i)%len(statuses)], Due: t0.Add(time.Duration(i) * time.Hour)})
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
	filters := []bot.Filter{{}, {Limit: 5}, {Person: "ben", Limit: 30}, {Person: "ben", OpenTasks: true},
		{Person: "ben", OpenTasks: true, Soonest: true}, {Status: []bot.CollabStatus{bot.StatusAwaitingAck}},
		{Group: "slack:C1"}, {Person: "nobody"}}
	instants := []time.Time{t0.Add(-time.Hour), t0, t0.Add(2 * time.Hour), t0.Add(2*time.Hour + time.Second), t0.AddDate(0, 0, 1)}
	var seen bot.Summary // sums, so the test knows every count was exercised
	s.View(ctx, "acme", func(tx bot.Tx) error {
		for _, f := range filters {
			docs, err := tx.Collaborations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, now := range instants {
				want := []bot.Summary{}
				for _, c := range docs {
					n := c.Summarize(now)
					want = append(want, n)
					seen.Tasks, seen.Done, seen.Overdue = seen.Tasks+n.Tasks, seen.Done+n.Done, seen.Overdue+n.Overdue
					seen.NeedsHelp, seen.PendingAcks = seen.NeedsHelp+n.NeedsHelp, seen.PendingAcks+n.PendingAcks
				}
				got, err := tx.Summaries(ctx, f, now)
				if err != nil {
					t.Fatalf("%+v: %v", f, err)
				}
				if got == nil {
					got = []bot.Summary{}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%+v at %s:\n got %+v\nwant %+v", f, now.Format(time.TimeOnly), got, want)
				}
			}
		}
		return nil
	})
	if seen.Tasks == 0 || seen.Done == 0 || seen.Overdue == 0 || seen.NeedsHelp == 0 || seen.PendingAcks == 0 {
		t.Fatalf("the store does not exercise every count: %+v", seen)
	}
}
