// Package redis coordinates several collabot replicas through a shared
// Redis: it de-duplicates inbound events before they reach the engine,
// elects one replica at a time for the scheduler tick and the outbox
// dispatcher (leases), and shares the platforms' rate limits.
//
// Redis is optional. Correctness (each event applied once, each reminder
// and notice sent once) already holds through SQLite's unique keys, so
// Redis only saves work: a redelivered event is dropped without opening a
// transaction, two replicas do not both run the same tick, and together
// they stay under a platform's limits. When Redis is unreachable every
// call degrades to what one process would do alone — the handler runs,
// the leased work runs, the limiter's error means "allow" — with one
// warning per outage, and the client recovers by itself when Redis is
// back.
package redis
