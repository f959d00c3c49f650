package benchrun

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine is what the figures were measured on.
type Machine struct {
	Date  time.Time
	CPU   string
	Cores int
	OS    string
	Go    string
}

// Measured is the machine and time results were measured at: this
// machine, with the run's start and processor when the results say.
func Measured(r *Results, now time.Time) Machine {
	m := ThisMachine(now)
	if !r.Started.IsZero() {
		m.Date = r.Started
	}
	if r.CPU != "" && r.CPU != m.CPU {
		m.CPU = r.CPU
	}
	return m
}

// ThisMachine describes the machine the runner runs on.
func ThisMachine(now time.Time) Machine {
	m := Machine{Date: now, CPU: runtime.GOARCH, Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// Table prints the rows as one Markdown table, with the date and the
// machine above it and the packages whose run failed below.
func Table(w io.Writer, r *Results, m Machine) {
	fmt.Fprintf(w, "collabot bench — %s — %s, %d cores, %s, %s\n\n", m.Date.UTC().Format("2006-01-02 15:04 UTC"),
		m.CPU, m.Cores, m.OS, m.Go)
	fmt.Fprintln(w, "| measured | collabot | baseline | baseline is | ratio |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, row := range Rows {
		ratio := ""
		if i := row.RatioOf; row.Ratio && i < len(row.Against) && i < len(row.Collabot) {
			a, okA := r.Value(row.Collabot[i])
			b, okB := r.Value(row.Against[i])
			if okA && okB && b != 0 {
				ratio = "×" + strconv.FormatFloat(a/b, 'f', 2, 64)
			} else {
				ratio = "—"
			}
		}
		against, what := "", ""
		if len(row.Against) > 0 {
			against, what = cell(r, row.Against), row.AgainstWhat
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", row.What, cell(r, row.Collabot), against, what, ratio)
	}
	for _, pkg := range r.Failed {
		fmt.Fprintf(w, "\n%s: benchmarks failed (their cells show —; run them alone with -v to see why)\n", pkg)
	}
}

// cell is the figures of ms joined by " / ", "—" for each not reported.
func cell(r *Results, ms []Metric) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		v, ok := r.Value(m)
		if !ok {
			parts[i] = "—"
			continue
		}
		parts[i] = number(v)
	}
	return strings.Join(parts, " / ")
}

// number prints a figure with the precision it deserves.
func number(v float64) string {
	switch a := math.Abs(v); {
	case a == math.Trunc(a) && a < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}
