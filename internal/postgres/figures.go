package postgres

// Stub: the department figures are built on branch pgout, which replaces
// this file.

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
)

func (s *Store) DepartmentFacts(ctx context.Context, ws bot.Workspace, since, until time.Time) (bot.DeptFacts, error) {
	return bot.DeptFacts{}, errors.New("postgres: not built yet")
}

func (s *Store) AttentionTasks(ctx context.Context, ws bot.Workspace, now time.Time) ([]bot.TaskFact, error) {
	return nil, errors.New("postgres: not built yet")
}
