package engine

import "github.com/collabot/collabot/bot"

// Spoken exposes the Chinese form of a canonical command to the tests.
var Spoken = (*Engine).spoken

// SetAfterCommand makes f run after every command, before it commits.
func SetAfterCommand(f func(bot.Message)) (undo func()) {
	afterCommand = f
	return func() { afterCommand = nil }
}
