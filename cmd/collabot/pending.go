package main

import (
	"context"
	"fmt"
)

// These subcommands are part of the command-line contract (design.md);
// the issues that build them replace these placeholders. Until then they
// say so plainly instead of pretending to work.

func serve(_ context.Context, e *env, _ []string) error {
	return notYet("serve", "the Slack and DingTalk adapters, the scheduler and the HTTP endpoints")
}

func notYet(name, what string) error {
	return fmt.Errorf("not yet available: this build has the collaboration store and rules but not yet %s. "+
		"`collabot migrate` and `collabot version` work now", what)
}
