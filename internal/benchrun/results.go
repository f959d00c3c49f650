package benchrun

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Results are the figures benchmarks reported, by benchmark and unit;
// a benchmark run several times (-count) keeps every figure.
type Results struct {
	values map[Metric][]float64
	// Failed are the packages whose run failed, and why in a line.
	Failed []string
	// Started is the first event's time, CPU what go test printed as
	// the processor: saved output printed later says when and where it
	// was measured.
	Started time.Time
	CPU     string
}

// NewResults is an empty set of results.
func NewResults() *Results { return &Results{values: map[Metric][]float64{}} }

// event is a line of `go test -json` (test2json).
type event struct {
	Time    time.Time
	Action  string
	Package string
	Output  string
}

// Parse reads `go test -json` output (or plain `go test -bench` output,
// line by line) and adds the benchmark lines it holds to r.
func (r *Results) Parse(in io.Reader) error {
	// test2json may cut a benchmark's line in two events (its name, then
	// its figures): output is joined per package before splitting lines.
	pending := map[string]string{}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "{") {
			r.line(line)
			continue
		}
		var e event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return fmt.Errorf("benchrun: reading go test -json: %w", err)
		}
		if !e.Time.IsZero() && (r.Started.IsZero() || e.Time.Before(r.Started)) {
			r.Started = e.Time
		}
		switch e.Action {
		case "output":
			text := pending[e.Package] + e.Output
			for {
				i := strings.IndexByte(text, '\n')
				if i < 0 {
					break
				}
				r.line(text[:i])
				text = text[i+1:]
			}
			pending[e.Package] = text
		case "fail":
			if e.Package != "" && !slices.Contains(r.Failed, e.Package) {
				r.Failed = append(r.Failed, e.Package)
			}
		}
	}
	for _, text := range pending {
		r.line(text)
	}
	return sc.Err()
}

// line adds a benchmark result line:
//
//	BenchmarkScale/company/list-2   200   581234 ns/op   4512 p50-µs   9023 p99-µs
func (r *Results) line(s string) {
	if cpu, ok := strings.CutPrefix(s, "cpu: "); ok && r.CPU == "" {
		r.CPU = strings.TrimSpace(cpu)
		return
	}
	f := strings.Fields(s)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return
	}
	if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
		return // a log line naming a benchmark, not its result
	}
	name := trimProcs(f[0])
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return
		}
		m := Metric{name, f[i+1]}
		r.values[m] = append(r.values[m], v)
	}
}

// trimProcs drops the -GOMAXPROCS suffix go test adds to a name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// Value is the median of the figures reported for m.
func (r *Results) Value(m Metric) (float64, bool) {
	vs := slices.Clone(r.values[m])
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2], true
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2, true
}

// Len is how many figures were read.
func (r *Results) Len() int {
	n := 0
	for _, vs := range r.values {
		n += len(vs)
	}
	return n
}
