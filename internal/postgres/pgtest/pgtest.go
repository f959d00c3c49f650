// Package pgtest gives tests a database of their own on a real PostgreSQL
// server: a scratch database created for the test and dropped after it.
// Tests of any package that need PostgreSQL (the store's contract suite,
// the several-hosts test, `collabot migrate`) use it.
//
// The server is COLLABOT_TEST_POSTGRES_URL (a postgres:// address of a
// role that may create databases), by default the local server with
// trust authentication. A test skips when the server does not answer,
// unless COLLABOT_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server tests use when COLLABOT_TEST_POSTGRES_URL is
// unset: this machine's, trust authentication, database test.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// ServerURL is the address tests connect to for administration.
func ServerURL() string {
	if u := os.Getenv("COLLABOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Required reports whether a missing server fails tests instead of
// skipping them.
func Required() bool { return os.Getenv("COLLABOT_REQUIRE_POSTGRES") == "1" }

// Fresh creates an empty database for the test and returns its address;
// the database is dropped (its connections closed by force) when the
// test and its subtests end. It skips the test when the server does not
// answer, or fails it when Required.
func Fresh(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin := ServerURL()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		if Required() {
			t.Fatalf("pgtest: PostgreSQL at %s does not answer and COLLABOT_REQUIRE_POSTGRES=1: %v", redacted(admin), err)
		}
		t.Skipf("pgtest: no PostgreSQL at %s (%v); set COLLABOT_TEST_POSTGRES_URL, or COLLABOT_REQUIRE_POSTGRES=1 to fail", redacted(admin), err)
	}
	defer conn.Close(context.Background())
	name := "collabot_" + random()
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, admin, name) })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("pgtest: COLLABOT_TEST_POSTGRES_URL must be a postgres:// address: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func drop(t testing.TB, admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// random is a name part no two tests share, even in parallel processes.
func random() string {
	b := make([]byte, 8)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// redacted is an address without its password, for messages.
func redacted(addr string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return "(unparsable address)"
	}
	return u.Redacted()
}
