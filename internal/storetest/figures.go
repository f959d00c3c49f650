package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// testDepartmentFactsStayInTheirWorkspace: the figures' rows come from
// the workspace asked about only, with what the departments answered.
func testDepartmentFactsStayInTheirWorkspace(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	for _, ws := range []bot.Workspace{"acme", "globex"} {
		d := directory(ws)
		if err := s.Apply(ctx, ws, "", func(tx bot.Tx) error {
			c, err := file(ctx, tx, d, "topic of "+string(ws))
			if err != nil {
				return err
			}
			if ws == "globex" {
				if err := c.Acknowledge(d.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted}, t0.Add(2*time.Hour)); err != nil {
					return err
				}
				return tx.Save(ctx, c)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for ws, accepted := range map[bot.Workspace]int{"acme": 0, "globex": 1} {
		f, err := s.DepartmentFacts(ctx, ws, t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Acks) != 2 || len(f.Tasks) != 0 || len(f.Help) != 0 || len(f.Risks) != 0 {
			t.Fatalf("%s: %+v", ws, f)
		}
		n := 0
		for _, a := range f.Acks {
			if a.Collab != 1 || !a.AskedAt.Equal(t0) {
				t.Errorf("%s: %+v", ws, a)
			}
			if a.Status == bot.AckAccepted {
				n++
				if a.Department != "研发部" || !a.At.Equal(t0.Add(2*time.Hour)) {
					t.Errorf("%s: the answer as stored: %+v", ws, a)
				}
			}
		}
		if n != accepted {
			t.Errorf("%s: %d accepted, want %d", ws, n, accepted)
		}
	}
}
