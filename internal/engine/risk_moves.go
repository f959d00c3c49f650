package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// "解决 R-2 <解决方案> 顺延 T-3 T-4 至 2026-12-20" / "resolve R-2 <resolution>
// move T-3 T-4 to 2026-12-20": an issue's resolution re-dates the tasks
// it affects in the same step.

var (
	moveWords = []string{"move", "moving", "顺延", "延期", "推迟", "改期"}
	toWords   = []string{"to", "至", "到", "延至", "改至"}
)

// splitMoves cuts a resolution into its text, the tasks it moves and the
// words of the date; ok is false when it moves nothing.
func splitMoves(text string) (resolution string, tasks []string, date string, ok bool) {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '、' || r == ',' || r == '，' || r == ';' || r == '；'
	})
	i := -1
	for k, f := range fields {
		// "move" in a resolution's own words is not a command unless a
		// task follows it.
		if slices.Contains(moveWords, strings.ToLower(f)) && k+1 < len(fields) {
			if _, err := bot.ParseTaskID(fields[k+1]); err == nil {
				i = k
				break
			}
		}
	}
	if i < 0 {
		return text, nil, "", false
	}
	resolution = strings.Join(fields[:i], " ")
	j := i + 1
	for ; j < len(fields); j++ {
		f := fields[j]
		if slices.Contains(toWords, strings.ToLower(f)) {
			j++
			break
		}
		if cut, found := strings.CutPrefix(f, "至"); found && cut != "" {
			fields[j] = cut
			break
		}
		tasks = append(tasks, f)
	}
	return resolution, tasks, strings.Join(fields[min(j, len(fields)):], " "), true
}

func riskResolve(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.RiskID(n)
	resolution, refs, date, moving := splitMoves(rest.rest)
	if !moving {
		if err := c.ResolveRisk(s.actor, id, rest.rest, s.now); err != nil {
			return err
		}
		return s.saveKey(ctx, c, "reply.risk.resolved", words.Args{"id": id})
	}
	var tasks []bot.TaskID
	for _, r := range refs {
		t, err := bot.ParseTaskID(r)
		if err != nil {
			return bot.RefuseField(bot.CodeInvalid, "tasks", "refuse.risk.move_usage", nil)
		}
		if _, err := c.Task(t); err != nil {
			// A task of another collaboration (or none) is named as not
			// this one's, without saying whose it is.
			return bot.RefuseField(bot.CodeNotFound, "tasks", "refuse.risk.task_not_here", bot.Args{"task": t.String(), "ref": c.ID.String()})
		}
		tasks = append(tasks, t)
	}
	if len(tasks) == 0 || strings.TrimSpace(date) == "" {
		return bot.RefuseField(bot.CodeInvalid, "tasks", "refuse.risk.move_usage", nil)
	}
	due, _, err := s.dateThen(date, false)
	if err != nil {
		return err
	}
	if err := c.ResolveRiskMoving(s.actor, id, resolution, tasks, due, s.now); err != nil {
		return err
	}
	r, _ := c.Risk(id)
	var moved, asked []string
	for _, m := range r.Moves {
		if !slices.Contains(tasks, m.Task) || !m.At.Equal(s.now) {
			continue
		}
		if m.Asked {
			asked = append(asked, m.Task.String())
		} else {
			moved = append(moved, m.Task.String())
		}
	}
	if err := s.saveKey(ctx, c, "reply.risk.resolved", words.Args{"id": id}); err != nil {
		return err
	}
	if len(moved) > 0 {
		s.sayKey("reply.risk.tasks_moved", words.Args{"tasks": joinList(s.lang, moved), "due": s.fmtTime(due)})
	}
	if len(asked) > 0 {
		s.sayKey("reply.risk.tasks_asked", words.Args{"tasks": joinList(s.lang, asked), "due": s.fmtTime(due), "coordinator": s.name(c.Coordinator)})
	}
	return nil
}
