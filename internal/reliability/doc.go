// Package reliability is collabot's chaos suite, run as tests against the
// real binary (built with go build by the suite itself) on loopback only:
// kill -9 loops mid-write and mid-send with the local Slack and DingTalk
// answering slowly, a storm of 429s, and three replicas sharing one
// database with Redis up, killed and never back. Each scenario prints a
// row of one table: what was tried, what was lost, what was doubled.
//
// `go test ./internal/reliability/` runs a short version (a few kills, a
// short storm) in well under a minute; COLLABOT_CHAOS_FULL=1 runs the one
// whose figures README quotes (100 kills mid-send, a 25 s storm):
//
//	COLLABOT_CHAOS_FULL=1 go test -v -timeout 30m -run Chaos ./internal/reliability/
//
// The package has no code of its own: it is its tests.
package reliability
