package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/sqlite"
)

const crashEnv = "COLLABOT_CRASH_DB"

// TestCrashWriter is the child of TestCrashKeepsAcknowledgedCommits: it
// applies events in a loop and prints the number of each one after its
// commit returns, until it is killed.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as the child of TestCrashKeepsAcknowledgedCommits")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, quiet())
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	if _, err := s.Migrate(ctx); err != nil {
		fmt.Println("migrate:", err)
		os.Exit(2)
	}
	dir := directory("acme")
	start, _ := strconv.Atoi(os.Getenv(crashEnv + "_FROM"))
	for i := max(start, 1); ; i++ {
		err := s.Apply(ctx, "acme", "evt-"+strconv.Itoa(i), func(tx bot.Tx) error {
			c, err := file(ctx, tx, dir, "event "+strconv.Itoa(i))
			if err != nil {
				return err
			}
			_, err = tx.RecordReminder(ctx, bot.Reminder{Timer: "ack", Entity: c.ID.String(), Slot: "s", Collab: c.ID})
			return err
		})
		if err != nil {
			fmt.Println("apply:", err)
			os.Exit(2)
		}
		fmt.Println(i) // the acknowledgement: only after the commit returned
	}
}

// TestCrashKeepsAcknowledgedCommits kills a writer with SIGKILL in the
// middle of its loop, several times over, and checks that the reopened
// database holds every acknowledged event whole and no partial one.
func TestCrashKeepsAcknowledgedCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	acked := 0
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.v=false")
		cmd.Env = append(os.Environ(), crashEnv+"="+path, crashEnv+"_FROM="+strconv.Itoa(acked+1))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		target := acked + 150 + round*37 // kill at a different point each round
		for lines.Scan() {
			n, err := strconv.Atoi(lines.Text())
			if err != nil {
				cmd.Process.Kill()
				t.Fatalf("child said %q", lines.Text())
			}
			acked = max(acked, n)
			if n >= target {
				break
			}
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// What the child printed before it died but was not read yet was
		// acknowledged too: a busy machine lets it run many events ahead.
		for lines.Scan() {
			if n, err := strconv.Atoi(lines.Text()); err == nil {
				acked = max(acked, n)
			}
		}
		cmd.Wait()
		if acked < target {
			t.Fatalf("round %d: child stopped at %d before %d", round, acked, target)
		}
		// The next round's child continues numbering after what survived.
		acked = checkCrashed(t, path, acked)
	}
}

// checkCrashed verifies the file after a kill and returns how many events
// it holds.
func checkCrashed(t *testing.T, path string, acked int) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check = %q, %v", integrity, err)
	}
	var collabs, events, reminders, timeline, outbox int
	for q, dst := range map[string]*int{
		`SELECT count(*) FROM collaborations`: &collabs,
		`SELECT count(*) FROM inbound_events`: &events,
		`SELECT count(*) FROM reminders`:      &reminders,
		`SELECT count(*) FROM timeline`:       &timeline,
		`SELECT count(*) FROM outbox`:         &outbox,
	} {
		if err := db.QueryRow(q).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	// Every acknowledged event is there; at most the one in flight beyond.
	if collabs < acked || collabs > acked+1 {
		t.Fatalf("%d collaborations after %d acknowledged events", collabs, acked)
	}
	// Each event wrote one collaboration, one event row, one reminder, two
	// timeline entries and three notices: a partial event breaks the ratios.
	if events != collabs || reminders != collabs || timeline != 2*collabs || outbox != 3*collabs {
		t.Fatalf("partial event: %d collaborations, %d events, %d reminders, %d timeline, %d outbox",
			collabs, events, reminders, timeline, outbox)
	}
	var maxID int
	db.QueryRow(`SELECT max(id) FROM collaborations`).Scan(&maxID)
	if maxID != collabs {
		t.Fatalf("ids have a gap: max COL-%d of %d", maxID, collabs)
	}
	return collabs
}
