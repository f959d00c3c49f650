package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/collabot/collabot/bot"
)

// Decisions made outside the engine's own records — a DingTalk card
// pressed — are noted in the ledger of inbound events, which every store
// keeps, under a key of the adapter's choosing, so that another process
// (or this one after a restart) knows the card was decided.

// decidedPrefix keeps these keys apart from the events of messages.
const decidedPrefix = "decided:"

// MarkDecided notes key as decided; noting it twice is no error.
func (e *Engine) MarkDecided(ctx context.Context, ws bot.Workspace, key string) error {
	err := e.Store.Apply(ctx, ws, decidedPrefix+key, func(bot.Tx) error { return nil })
	if err != nil && !errors.Is(err, bot.ErrDuplicateEvent) {
		return fmt.Errorf("engine: note %s decided: %w", key, err)
	}
	return nil
}

// Decided reports whether key was noted as decided.
func (e *Engine) Decided(ctx context.Context, ws bot.Workspace, key string) (bool, error) {
	var ok bool
	err := e.Store.View(ctx, ws, func(tx bot.Tx) error {
		var err error
		ok, err = tx.Recorded(ctx, decidedPrefix+key)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("engine: was %s decided: %w", key, err)
	}
	return ok, nil
}
