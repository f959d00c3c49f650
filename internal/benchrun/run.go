package benchrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Module is the module path a source checkout declares.
const Module = "github.com/collabot/collabot"

// Options are what a run does.
type Options struct {
	Dir     string   // the source checkout (its go.mod), found upwards from here
	Only    []string // suite names; none: all
	Timeout time.Duration
	Save    io.Writer // gets the raw `go test -json` output, if set
	Log     io.Writer // progress
	Go      string    // the go command (default "go")
}

// Select is the suites named (all when none), or an error naming those
// that do not exist.
func Select(only []string) ([]Suite, error) {
	if len(only) == 0 {
		return Suites, nil
	}
	var out []Suite
	var unknown []string
	for _, name := range only {
		i := slices.IndexFunc(Suites, func(s Suite) bool { return s.Name == name })
		if i < 0 {
			unknown = append(unknown, name)
			continue
		}
		out = append(out, Suites[i])
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("no suite %s; the suites are %s", strings.Join(unknown, ", "), strings.Join(Names(), ", "))
	}
	return out, nil
}

// Names are the suites' names, in order.
func Names() []string {
	var out []string
	for _, s := range Suites {
		out = append(out, s.Name)
	}
	return out
}

// FindModule is the folder holding collabot's go.mod, from dir upwards.
func FindModule(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && bytes.HasPrefix(bytes.TrimSpace(data), []byte("module "+Module)) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not in a source checkout of %s: the benchmarks are run with go test from one (cd there, or --dir)", dir, Module)
		}
	}
}

// Command is the `go test` that runs a suite, bounded by timeout.
func Command(ctx context.Context, goCmd, dir string, s Suite, timeout time.Duration) *exec.Cmd {
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.CommandContext(ctx, goCmd, "test", "-run", "^$", "-bench", s.Bench, "-benchtime", s.Benchtime,
		"-timeout", timeout.Round(time.Second).String(), "-json", s.Pkg)
	cmd.Dir = dir
	// Offline: modules come from the local cache or not at all.
	cmd.Env = append(append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly"), s.Env...)
	return cmd
}

// Run runs the suites one after the other within the timeout and reads
// their results; a suite that fails or runs out of time leaves its cells
// empty and the others still run.
func Run(ctx context.Context, o Options) (*Results, error) {
	suites, err := Select(o.Only)
	if err != nil {
		return nil, err
	}
	dir, err := FindModule(o.Dir)
	if err != nil {
		return nil, err
	}
	logw := o.Log
	if logw == nil {
		logw = io.Discard
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	res := NewResults()
	for _, s := range suites {
		left := time.Until(deadline)
		if left < 10*time.Second {
			res.Failed = append(res.Failed, s.Pkg+" (not run: out of time)")
			continue
		}
		fmt.Fprintf(logw, "bench: %s (%s, about %s on 2 cores)…\n", s.Name, s.Pkg, s.Budget)
		started := time.Now()
		cmd := Command(ctx, o.Go, dir, s, left)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("benchrun: %s: %w", s.Name, err)
		}
		var in io.Reader = out
		if o.Save != nil {
			in = io.TeeReader(out, o.Save)
		}
		perr := res.Parse(in)
		werr := cmd.Wait()
		switch {
		case perr != nil:
			return nil, perr
		case ctx.Err() != nil:
			res.Failed = append(res.Failed, s.Pkg+" (stopped: out of time)")
		case werr != nil && !slices.Contains(res.Failed, Module+strings.TrimPrefix(s.Pkg, ".")):
			var ee *exec.ExitError
			if !errors.As(werr, &ee) {
				return nil, fmt.Errorf("benchrun: %s: %w", s.Name, werr)
			}
			res.Failed = append(res.Failed, s.Pkg+": "+firstLine(stderr.String()))
		}
		fmt.Fprintf(logw, "bench: %s done in %s\n", s.Name, time.Since(started).Round(time.Second))
	}
	return res, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
