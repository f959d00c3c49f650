// Package benchrun runs the repository's benchmarks with `go test
// -bench -json` and prints what issue 19 measures as one table, side by
// side with its baselines, with the date and the machine.
//
// The runner knows benchmarks only by name and by the units they report
// with b.ReportMetric, listed in Rows below: a benchmark that is not
// there (not written yet, renamed, failed) leaves "—" in its cell and
// the rest of the table stands. A benchmark meant for the table reports
// under these names (the "-N" GOMAXPROCS suffix is ignored):
//
//	adapters/slack     BenchmarkReplyLoad/collabot/200ev  p50-ms p99-ms   the bot through the local Slack
//	                   BenchmarkReplyLoad/echo/200ev      p50-ms p99-ms   a minimal slack-go echo bot, same mock
//	                   (and 500ev; collabot's also acked-before-recorded and refused-503)
//	                   BenchmarkReplyScale/list/{company,empty}    p50-ms p99-ms   `list` @50 ev/s, same mock
//	                   BenchmarkReplyScale/people/{company,fresh}  p50-ms p99-ms   first contacts @100 ev/s
//	internal/engine    BenchmarkDialogStep/engine         ops/s           answers to an open form
//	                   BenchmarkDialogStep/raw-commit     ops/s           one-row transactions, same run
//	                   BenchmarkDialogStepVsCommit/people={1,8}  steps/s commits/s events/commit step-cpu-µs commit-cpu-µs
//	                   BenchmarkScale/{company,fresh,empty}/{reply,list,newcomer}   p50-µs p99-µs
//	scheduler          BenchmarkScan/tasks={10k,100k}/{warm,cold}   ms/scan
//	internal/dispatch  BenchmarkFanOut                    s/wave ratio claims/DM cpu%core 429s
//	                   (run with COLLABOT_BENCH_FANOUT_N=10000)
//	cmd/collabot       BenchmarkStartup/db={1GB,empty}    ready-ms readyz-non200 busy-ms idle-rss-MB
package benchrun

import "time"

// Suite is one `go test` run: a package and the benchmarks of it the
// table needs.
type Suite struct {
	Name      string // for --only
	Pkg       string // relative to the module root
	Bench     string // the -bench pattern
	Benchtime string
	Env       []string // added to the environment
	// Budget is a rough run time on a 2-core machine, to say what is
	// coming; the runner's timeout bounds it.
	Budget time.Duration
}

// Suites run in this order, one at a time: they measure latency, and a
// second one running beside would be measuring it.
var Suites = []Suite{
	{Name: "reply", Pkg: "./adapters/slack", Bench: "^BenchmarkReplyLoad$", Benchtime: "1x",
		Env: []string{"COLLABOT_BENCH_DURATION=10s"}, Budget: 2 * time.Minute},
	{Name: "scale", Pkg: "./adapters/slack", Bench: "^BenchmarkReplyScale$", Benchtime: "1x",
		Env: []string{"COLLABOT_BENCH_DURATION=5s"}, Budget: 2 * time.Minute},
	{Name: "engine", Pkg: "./internal/engine", Bench: "^(BenchmarkDialogStep|BenchmarkScale)$", Benchtime: "200x", Budget: 3 * time.Minute},
	// Steps and commits alternate in slices of 30 within each run, so
	// both see the same disk; 10 rounds are 3,000 of each.
	{Name: "steps", Pkg: "./internal/engine", Bench: "^BenchmarkDialogStepVsCommit$", Benchtime: "10x", Budget: time.Minute},
	{Name: "scan", Pkg: "./scheduler", Bench: "^BenchmarkScan$", Benchtime: "3x", Budget: 5 * time.Minute},
	{Name: "fanout", Pkg: "./internal/dispatch", Bench: "^BenchmarkFanOut$", Benchtime: "1x",
		Env: []string{"COLLABOT_BENCH_FANOUT_N=10000"}, Budget: 3 * time.Minute},
	{Name: "startup", Pkg: "./cmd/collabot", Bench: "^BenchmarkStartup$", Benchtime: "1x", Budget: 5 * time.Minute},
}

// Metric is one number a benchmark reports: its name without the
// GOMAXPROCS suffix, and the unit it reports it in.
type Metric struct {
	Bench, Unit string
}

// Row is one line of the table: what collabot measures, beside what it
// is compared with in the same run.
type Row struct {
	What     string
	Collabot []Metric
	// Against is the baseline, described by AgainstWhat; none for a row
	// that has only its own figures.
	Against     []Metric
	AgainstWhat string
	// Ratio prints the first collabot figure over the first baseline one,
	// or the RatioOf-th (from 0) where the row's promise is about that one.
	Ratio   bool
	RatioOf int
}

func metrics(bench string, units ...string) []Metric {
	out := make([]Metric, len(units))
	for i, u := range units {
		out[i] = Metric{bench, u}
	}
	return out
}

// Rows are the table, top to bottom.
var Rows = []Row{
	{What: "reply @200 ev/s, p50 / p99 (ms)", Collabot: metrics("BenchmarkReplyLoad/collabot/200ev", "p50-ms", "p99-ms"),
		Against: metrics("BenchmarkReplyLoad/echo/200ev", "p50-ms", "p99-ms"), AgainstWhat: "echo bot, same mock", Ratio: true},
	{What: "reply @500 ev/s, p50 / p99 (ms)", Collabot: metrics("BenchmarkReplyLoad/collabot/500ev", "p50-ms", "p99-ms"),
		Against: metrics("BenchmarkReplyLoad/echo/500ev", "p50-ms", "p99-ms"), AgainstWhat: "echo bot, same mock", Ratio: true},
	{What: "@500 ev/s: events acked before recorded / refused with 503", Collabot: metrics("BenchmarkReplyLoad/collabot/500ev",
		"acked-before-recorded", "refused-503")},
	{What: "`list` through Slack @50 ev/s, 5k collaborations, p50 / p99 (ms)", Collabot: metrics("BenchmarkReplyScale/list/company", "p50-ms", "p99-ms"),
		Against: metrics("BenchmarkReplyScale/list/empty", "p50-ms", "p99-ms"), AgainstWhat: "empty store", Ratio: true},
	{What: "first contacts through Slack @100 ev/s, 10k people + 5k collaborations, p50 / p99 (ms; ratio of p99)",
		Collabot: metrics("BenchmarkReplyScale/people/company", "p50-ms", "p99-ms"),
		Against:  metrics("BenchmarkReplyScale/people/fresh", "p50-ms", "p99-ms"), AgainstWhat: "fresh deployment", Ratio: true, RatioOf: 1},
	{What: "dialog steps/s vs raw commits/s", Collabot: metrics("BenchmarkDialogStep/engine", "ops/s"),
		Against: metrics("BenchmarkDialogStep/raw-commit", "ops/s"), AgainstWhat: "one-row commits/s", Ratio: true},
	{What: "dialog steps/s vs raw commits/s, interleaved: one person", Collabot: metrics("BenchmarkDialogStepVsCommit/people=1", "steps/s"),
		Against: metrics("BenchmarkDialogStepVsCommit/people=1", "commits/s"), AgainstWhat: "one-row commits/s", Ratio: true},
	{What: "the same, eight people at once (group commit)", Collabot: metrics("BenchmarkDialogStepVsCommit/people=8", "steps/s", "events/commit"),
		Against: metrics("BenchmarkDialogStepVsCommit/people=8", "commits/s"), AgainstWhat: "one-row commits/s", Ratio: true},
	{What: "CPU per dialog step vs per raw commit, one person (µs)", Collabot: metrics("BenchmarkDialogStepVsCommit/people=1", "step-cpu-µs"),
		Against: metrics("BenchmarkDialogStepVsCommit/people=1", "commit-cpu-µs"), AgainstWhat: "one-row commit", Ratio: true},
	{What: "message, 10k people + 5k collaborations, p50 / p99 (µs)", Collabot: metrics("BenchmarkScale/company/reply", "p50-µs", "p99-µs"),
		Against: metrics("BenchmarkScale/fresh/reply", "p50-µs", "p99-µs"), AgainstWhat: "fresh deployment", Ratio: true},
	{What: "`list`, 5k collaborations, p50 / p99 (µs)", Collabot: metrics("BenchmarkScale/company/list", "p50-µs", "p99-µs"),
		Against: metrics("BenchmarkScale/empty/list", "p50-µs", "p99-µs"), AgainstWhat: "empty store", Ratio: true},
	{What: "first message of a newcomer, 10k people, p50 / p99 (µs)", Collabot: metrics("BenchmarkScale/company/newcomer", "p50-µs", "p99-µs"),
		Against: metrics("BenchmarkScale/fresh/newcomer", "p50-µs", "p99-µs"), AgainstWhat: "fresh deployment", Ratio: true},
	{What: "scan 100k tasks, warm / cold (ms)", Collabot: append(metrics("BenchmarkScan/tasks=100k/warm", "ms/scan"), metrics("BenchmarkScan/tasks=100k/cold", "ms/scan")...),
		Against: append(metrics("BenchmarkScan/tasks=10k/warm", "ms/scan"), metrics("BenchmarkScan/tasks=10k/cold", "ms/scan")...), AgainstWhat: "10k tasks", Ratio: true},
	{What: "fan-out 10,000 DMs: s / × ideal / claims per DM / % of a core / 429s",
		Collabot: metrics("BenchmarkFanOut", "s/wave", "ratio", "claims/DM", "cpu%core", "429s")},
	{What: "start → /readyz 200, 1 GB database (ms)", Collabot: metrics("BenchmarkStartup/db=1GB", "ready-ms"),
		Against: metrics("BenchmarkStartup/db=empty", "ready-ms"), AgainstWhat: "empty database", Ratio: true},
	{What: "/readyz answers other than 200 during start-up", Collabot: metrics("BenchmarkStartup/db=1GB", "readyz-non200"),
		Against: metrics("BenchmarkStartup/db=empty", "readyz-non200"), AgainstWhat: "empty database"},
	{What: "start-up work after ready, until idle (ms; 3,500 is the floor: /readyz is asked for 3 s after ready)", Collabot: metrics("BenchmarkStartup/db=1GB", "busy-ms"),
		Against: metrics("BenchmarkStartup/db=empty", "busy-ms"), AgainstWhat: "empty database"},
	{What: "idle RSS after start-up (MB)", Collabot: metrics("BenchmarkStartup/db=1GB", "idle-rss-MB"),
		Against: metrics("BenchmarkStartup/db=empty", "idle-rss-MB"), AgainstWhat: "empty database", Ratio: true},
}
