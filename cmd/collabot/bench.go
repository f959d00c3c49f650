package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/collabot/collabot/internal/benchrun"
)

// benchOptions are bench's command line.
type benchOptions struct {
	dir     string
	only    []string
	timeout time.Duration
	from    string // read results from a saved `go test -json` output instead of running
	save    string // keep the raw output of the run
}

// parseBench reads bench's flags.
func parseBench(args []string, stderr io.Writer) (benchOptions, error) {
	o := benchOptions{}
	fs := flag.NewFlagSet("collabot bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dir, "dir", ".", "the source checkout whose benchmarks run (go test runs there)")
	only := fs.String("only", "", "comma-separated suites to run: "+strings.Join(benchrun.Names(), ", ")+" (default all)")
	fs.DurationVar(&o.timeout, "timeout", 45*time.Minute, "stop after this long; what did not finish shows —")
	fs.StringVar(&o.from, "from", "", "print the table from this saved `go test -json -bench` output (- for stdin) instead of running")
	fs.StringVar(&o.save, "save", "", "also write the raw `go test -json` output to this file")
	fs.String("config", "", "accepted for uniformity; the benchmarks build their own stores")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: collabot bench [--only SUITES] [--timeout D] [--dir CHECKOUT] [--save FILE] | --from FILE")
		fmt.Fprintln(stderr, "Runs the repository's benchmarks (offline, loopback only) with go test and prints one table.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected %q", errUsage, fs.Arg(0))
	}
	if *only != "" {
		for _, name := range strings.Split(*only, ",") {
			if name = strings.TrimSpace(name); name != "" {
				o.only = append(o.only, name)
			}
		}
		if _, err := benchrun.Select(o.only); err != nil {
			return o, fmt.Errorf("%w: --only: %v", errUsage, err)
		}
	}
	if o.timeout <= 0 {
		return o, fmt.Errorf("%w: --timeout must be positive", errUsage)
	}
	if o.from != "" && (o.save != "" || *only != "") {
		return o, fmt.Errorf("%w: --from prints saved results; --only and --save are for a run", errUsage)
	}
	return o, nil
}

// bench runs the benchmark suites and prints the table issue 19 asks
// for: collabot beside its baselines, with the date and the machine.
func bench(ctx context.Context, e *env, args []string) error {
	o, err := parseBench(args, e.stderr)
	if err != nil {
		return err
	}
	var res *benchrun.Results
	if o.from != "" {
		res = benchrun.NewResults()
		in := io.Reader(os.Stdin)
		if o.from != "-" {
			f, err := os.Open(o.from)
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		if err := res.Parse(in); err != nil {
			return err
		}
	} else {
		run := benchrun.Options{Dir: o.dir, Only: o.only, Timeout: o.timeout, Log: e.stderr}
		if o.save != "" {
			f, err := os.Create(o.save)
			if err != nil {
				return err
			}
			defer f.Close()
			run.Save = f
		}
		if res, err = benchrun.Run(ctx, run); err != nil {
			return err
		}
	}
	if res.Len() == 0 {
		return errors.New("no benchmark results read")
	}
	benchrun.Table(e.stdout, res, benchrun.Measured(res, time.Now()))
	return nil
}
