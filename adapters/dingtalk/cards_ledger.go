package dingtalk

import (
	"context"

	"github.com/collabot/collabot/bot"
)

// A decided card stays decided across restarts: the decision is noted in
// the engine's ledger of inbound events under the card's outTrackId, so a
// click that reaches a new process (the card's update lost with the old
// one, or a second press racing it) changes nothing and hides the
// buttons again. The in-memory book (cards.go) spares the store the
// look-up for the cards this process decided.

// CardLedger notes decisions made on cards, in the store both processes
// share.
type CardLedger interface {
	// MarkDecided notes that key was decided; noting it again is no error.
	MarkDecided(ctx context.Context, ws bot.Workspace, key string) error
	// Decided reports whether key was noted.
	Decided(ctx context.Context, ws bot.Workspace, key string) (bool, error)
}

// ledgerKey is a card's key in the ledger.
func ledgerKey(outTrackID string) string { return "dingtalk-card/" + outTrackID }

func (a *Adapter) ledger() CardLedger {
	if a.opt.Ledger != nil {
		return a.opt.Ledger
	}
	l, _ := a.opt.Handler.(CardLedger)
	return l
}

// wasDecided reports whether the ledger has the card decided.
func (a *Adapter) wasDecided(ctx context.Context, outTrackID string) (bool, error) {
	l := a.ledger()
	if l == nil {
		return false, nil
	}
	return l.Decided(ctx, a.opt.Workspace, ledgerKey(outTrackID))
}

// markDecided notes a card's decision; a failure only costs a later click
// on another process the engine's own refusal instead of this note.
func (a *Adapter) markDecided(ctx context.Context, outTrackID string) {
	l := a.ledger()
	if l == nil {
		return
	}
	if err := l.MarkDecided(ctx, a.opt.Workspace, ledgerKey(outTrackID)); err != nil {
		a.log.Warn("card decision not noted in the ledger", "card", outTrackID, "err", err)
	}
}

// hidden are the variables of a decided card whose decision this process
// does not know: no buttons, no inputs; its status line stays as it was.
func hidden() map[string]string {
	data := map[string]string{varDecided: "true"}
	for i := 1; i <= maxCardButtons; i++ {
		setButton(data, i, "", "", "")
	}
	return data
}
