package console

import "github.com/collabot/collabot/bot"

// ReadLine is readLine, for the external tests.
var ReadLine = readLine

// PersonFor is the person id a test speaks as.
func PersonFor(id string) bot.PersonID { return bot.PersonID(id) }
