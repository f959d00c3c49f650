package forms

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

// A delivery list (成果交付清单) is pasted one item a line: positionally
// ("name, version, quantity, link" with an optional note after), or as a
// table whose first row names the columns in the seed's words (交付物名称 |
// 版本 | 数量 | 说明 | 链接 | 关联任务). The canonical form of an item is
// "name|version|quantity|link|note|T-1 T-2".

// column is what a cell of a delivery table holds.
type column int

const (
	colNone column = iota
	colName
	colVersion
	colQuantity
	colNote
	colLink
	colTasks
)

// columnWords are the header words of each column, as people title them.
var columnWords = map[column][]string{
	colName:     {"名称", "交付物名称", "交付物", "成果名称", "成果", "name", "item", "deliverable"},
	colVersion:  {"版本", "版本号", "version", "ver"},
	colQuantity: {"数量", "份数", "quantity", "qty", "count"},
	colNote:     {"说明", "备注", "描述", "note", "notes", "description", "remarks"},
	colLink:     {"链接", "地址", "附件链接", "link", "url"},
	colTasks:    {"关联任务", "任务", "对应任务", "tasks", "task"},
}

func columnOf(cell string) column {
	c := strings.ToLower(strings.Trim(strings.TrimSpace(cell), "*_`:："))
	for col, ws := range columnWords {
		for _, w := range ws {
			if c == w {
				return col
			}
		}
	}
	return colNone
}

// header reads a first line that names at least two columns, and its
// separator.
func header(line string) ([]column, string, bool) {
	sep := ","
	switch {
	case strings.Contains(line, "|"):
		sep = "|"
	case strings.Contains(line, "\t"):
		sep = "\t"
	}
	cells := cellsOf(line, sep)
	cols := make([]column, len(cells))
	known := 0
	for i, c := range cells {
		if cols[i] = columnOf(c); cols[i] != colNone {
			known++
		}
	}
	return cols, sep, known >= 2 && cols[0] != colNone
}

func cellsOf(line, sep string) []string {
	if sep == "," {
		line = strings.ReplaceAll(strings.ReplaceAll(line, "，", ","), "、", ",")
	}
	if sep == "|" {
		line = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "|"), "|")
	}
	cells := strings.Split(line, sep)
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

var canonical = []column{colName, colVersion, colQuantity, colLink, colNote, colTasks}

var tableRule = regexp.MustCompile(`^\|?\s*:?-{2,}`)

func (f *Field) parseDeliverables(c Context, s string) (string, error) {
	lines, err := f.rows(s)
	if err != nil {
		return "", err
	}
	var cols []column
	var sep string
	if len(lines) > 0 {
		if hc, hs, ok := header(lines[0]); ok {
			cols, sep, lines = hc, hs, lines[1:]
		}
	}
	out := make([]string, 0, len(lines))
	seen := map[string]bool{}
	for i, line := range lines {
		if tableRule.MatchString(line) {
			continue // a Markdown table's rule
		}
		var d bot.Deliverable
		if cols != nil {
			d, err = f.tableRow(c, i+2, line, cols, sep)
		} else {
			d, err = f.deliverable(c, i+1, line)
		}
		if err != nil {
			return "", err
		}
		if k := strings.ToLower(d.Name); seen[k] {
			return "", f.failLine(bot.CodeInvalid, i+1, line, "refuse.answer.line_item_twice", bot.Args{"name": d.Name})
		} else {
			seen[k] = true
		}
		out = append(out, DeliverableLine(d))
	}
	if len(out) == 0 && cols != nil {
		return "", f.fail(bot.CodeRequired, "refuse.answer.required", nil)
	}
	return f.joined(out)
}

// DeliverableLine is an item's canonical line.
func DeliverableLine(d bot.Deliverable) string {
	tasks := make([]string, len(d.Tasks))
	for i, t := range d.Tasks {
		tasks[i] = t.String()
	}
	clean := func(s string) string { return strings.ReplaceAll(s, "|", "/") }
	line := clean(d.Name) + "|" + clean(d.Version) + "|" + strconv.Itoa(d.Quantity) + "|" + d.Link
	if d.Note != "" || len(tasks) > 0 {
		line += "|" + clean(d.Note) + "|" + strings.Join(tasks, " ")
	}
	return line
}

// tableRow reads a row of a table whose header named the columns.
func (f *Field) tableRow(c Context, n int, line string, cols []column, sep string) (bot.Deliverable, error) {
	d := bot.Deliverable{Quantity: 1}
	cells := cellsOf(line, sep)
	if len(cells) > len(cols) {
		return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_too_many_parts", nil)
	}
	for i, cell := range cells {
		if cell == "" {
			continue
		}
		var err error
		switch cols[i] {
		case colName:
			d.Name = cell
		case colVersion:
			d.Version = cell
		case colNote:
			d.Note = cell
		case colQuantity:
			d.Quantity, err = f.quantity(n, line, cell)
		case colLink:
			d.Link, err = f.link(n, line, cell)
		case colTasks:
			d.Tasks, err = f.taskRefs(n, line, cell)
		}
		if err != nil {
			return d, err
		}
	}
	return f.finish(c, n, line, d)
}

// deliverable reads "name, version, quantity, link" (or "|"- or
// tab-separated), a note after them and the tasks it answers for ("T-1
// T-2") anywhere. The link may stand anywhere; a lone number after the
// name is the quantity.
func (f *Field) deliverable(c Context, n int, line string) (bot.Deliverable, error) {
	if strings.Count(line, "|") == 5 && !strings.HasPrefix(strings.TrimSpace(line), "|") {
		// The canonical line, with a note or tasks.
		return f.tableRow(c, n, line, canonical, "|")
	}
	d := bot.Deliverable{Quantity: 1}
	links := linkRe.FindAllStringSubmatchIndex(line, -1)
	if len(links) > 1 {
		return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_two_links", nil)
	}
	if len(links) == 1 {
		m := links[0]
		raw := line[m[0]:m[1]]
		if g := group(line, m, 1); g != "" {
			raw = g
		}
		raw = strings.TrimRight(raw, ".。)）")
		u, ok := webURL(raw)
		if !ok {
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_link", nil)
		}
		d.Link = u
		line = line[:m[0]] + "\x00" + line[m[1]:]
	}
	// In a "|" or tab table an empty cell keeps its column; between commas
	// it is a slip, except before the name. A cell that held only the link
	// is no column either way.
	var pieces []string
	table := true
	switch {
	case strings.Contains(line, "|"):
		pieces = strings.Split(line, "|")
	case strings.Contains(line, "\t"):
		pieces = strings.Split(line, "\t")
	default:
		pieces, table = strings.Split(strings.ReplaceAll(line, "，", ","), ","), false
	}
	var kept []string
	for _, p := range pieces {
		link := strings.Contains(p, "\x00")
		p = strings.TrimSpace(strings.ReplaceAll(p, "\x00", ""))
		if p != "" || (!link && (table || len(kept) == 0)) {
			kept = append(kept, p)
		}
	}
	for len(kept) > 0 && kept[len(kept)-1] == "" {
		kept = kept[:len(kept)-1]
	}
	if len(kept) == 0 || kept[0] == "" {
		return d, f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_name", nil)
	}
	d.Name = kept[0]
	var rest []string
	for _, p := range kept[1:] {
		switch {
		case p != "" && onlyTaskRefs(p):
			ts, err := f.taskRefs(n, line, p)
			if err != nil {
				return d, err
			}
			d.Tasks = append(d.Tasks, ts...)
		case notePrefix.MatchString(p):
			d.Note = strings.TrimSpace(notePrefix.ReplaceAllString(p, ""))
		case looksLikeLink(p):
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_link", nil)
		default:
			rest = append(rest, p)
		}
	}
	qty := func(s string) bool { return quantity.MatchString(narrow(s)) }
	switch {
	case len(rest) > 3:
		return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_too_many_parts", nil)
	case len(rest) == 3:
		d.Version, d.Note, rest = rest[0], rest[2], rest[1:2]
		if !qty(rest[0]) && rest[0] != "" {
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_quantity", nil)
		}
	case len(rest) == 2 && qty(rest[0]) && !qty(rest[1]) && rest[1] != "":
		d.Version, rest = rest[1], rest[:1]
	case len(rest) == 2:
		d.Version, rest = rest[0], rest[1:]
	case len(rest) == 1 && !qty(rest[0]):
		d.Version, rest = rest[0], nil
	}
	if len(rest) == 1 && rest[0] != "" {
		q, err := f.quantity(n, line, rest[0])
		if err != nil {
			return d, err
		}
		d.Quantity = q
	}
	return f.finish(c, n, line, d)
}

// finish checks what every item needs: a name, texts of a sane length.
func (f *Field) finish(c Context, n int, line string, d bot.Deliverable) (bot.Deliverable, error) {
	if strings.TrimSpace(d.Name) == "" {
		return d, f.failLine(bot.CodeRequired, n, line, "refuse.answer.line_no_name", nil)
	}
	for _, p := range []*string{&d.Name, &d.Version, &d.Note} {
		*p = c.plain(*p)
		if utf8.RuneCountInString(*p) > f.runeLimit() {
			return d, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_too_long", bot.Args{"max": strconv.Itoa(f.runeLimit())})
		}
	}
	return d, nil
}

func (f *Field) quantity(n int, line, cell string) (int, error) {
	m := quantity.FindStringSubmatch(narrow(strings.TrimSpace(cell)))
	q := -1
	if m != nil {
		q = atoi(strings.TrimPrefix(m[1], "+"))
	}
	if q < 1 || q > 1e6 {
		return 0, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_quantity", nil)
	}
	return q, nil
}

func (f *Field) link(n int, line, cell string) (string, error) {
	raw := cell
	if m := linkRe.FindStringSubmatch(cell); m != nil && m[1] != "" {
		raw = m[1]
	}
	u, ok := webURL(strings.TrimRight(raw, ".。)）"))
	if !ok {
		return "", f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_link", nil)
	}
	return u, nil
}

var (
	taskWord   = regexp.MustCompile(`[#＃]?[tTｔＴ]\s*[-－—–]?\s*[0-9０-９]+`)
	taskPrefix = regexp.MustCompile(`^(?:关联任务|对应任务|任务|tasks?)\s*[:：]?\s*`)
	notePrefix = regexp.MustCompile(`^(?i:说明|备注|note|notes)\s*[:：]\s*`)
	linkish    = regexp.MustCompile(`(?i)^(?:[a-z][a-z0-9+.-]*://|www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)+/)`)
)

// onlyTaskRefs: a piece that is nothing but task references ("T-1 T-2",
// "任务: T-3").
func onlyTaskRefs(p string) bool {
	rest := taskWord.ReplaceAllString(taskPrefix.ReplaceAllString(strings.TrimSpace(p), ""), "")
	return strings.Trim(rest, " 、,，;；和&") == "" && taskWord.MatchString(p)
}

func (f *Field) taskRefs(n int, line, cell string) ([]bot.TaskID, error) {
	var out []bot.TaskID
	for _, w := range taskWord.FindAllString(taskPrefix.ReplaceAllString(cell, ""), -1) {
		id, err := bot.ParseTaskID(strings.TrimLeft(narrow(strings.ReplaceAll(w, " ", "")), "#"))
		if err != nil {
			return nil, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_task", nil)
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil, f.failLine(bot.CodeInvalid, n, line, "refuse.answer.line_bad_task", nil)
	}
	return out, nil
}

// looksLikeLink: a piece someone meant as a link that is no web address
// ("docs/api", "ftp://x", "www.example.com/a" without a scheme).
func looksLikeLink(p string) bool {
	p = strings.TrimSpace(p)
	return !strings.ContainsAny(p, " \t") && (linkish.MatchString(p) || strings.Contains(p, "/"))
}
