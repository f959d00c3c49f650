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
// TestThreeHosts runs three replicas as three hosts: each serve in a
// network namespace of its own with an address of its own (veth pairs to
// this namespace; the test must run as root with iproute2), reaching the
// Slack fake, Redis and a database server through relays on this side,
// one set per host, so that one host can be cut off Redis alone. Where
// namespaces cannot be made, or with COLLABOT_HOSTS_LOOPBACK=1, the hosts
// are processes on loopback; the table says which ran. The database is a
// backend (backend_test.go): the SQLite file the hosts share on one
// kernel, and PostgreSQL once it is built. The short run files 60
// requests (120 events, about 75 s); the full one 1,500 (3,000 events):
//
//	COLLABOT_CHAOS_FULL=1 go test -v -timeout 60m -run TestThreeHosts ./internal/reliability/
//
// The package has no code of its own: it is its tests.
package reliability
