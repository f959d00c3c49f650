package bot

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The acceptance checklist (验收清单): each delivered item passes or fails
// on its own, and a fail sends back only the items that failed.

// ItemResult is the verdict on one item of a delivery.
type ItemResult struct {
	Item    int    `json:"item"` // 1-based, in the delivery's order
	Name    string `json:"name"`
	Pass    bool   `json:"pass"`
	Comment string `json:"comment,omitempty"`
}

// Item marks, as people write them at the start of a line: "2", "#2",
// "第2项", "2." — or the item's name.
var itemNumber = regexp.MustCompile(`^(?:#|第)?\s*(\d{1,3})\s*(?:项|[.、:：)）])?(?:\s+|$)`)

var (
	passWords = []string{"通过", "pass", "passed", "ok", "合格", "✅"}
	failWords = []string{"不通过", "fail", "failed", "未通过", "不合格", "驳回", "❌"}
)

// itemResults reads the lines of a verdict against the delivery's items:
// a line naming an item (by number or name) is that item's result, a fail
// unless it says pass, with the rest of the line as comment; the other
// lines are rework that names no item. With no item named, a fail sends
// the whole delivery back.
func itemResults(d Delivery, verdict Verdict, lines []string) (results []ItemResult, loose []string, err error) {
	field := "items" // the form field a fail's lines are typed in; a pass's are its notes
	if verdict == VerdictPass {
		field = "notes"
	}
	named := map[int]ItemResult{}
	for _, l := range lines {
		if m := itemNumber.FindStringSubmatch(strings.TrimSpace(l)); m != nil && len(d.Items) > 0 {
			// A number the list does not have is a typo, not rework: as
			// free text it could send the whole delivery back.
			if n, _ := strconv.Atoi(m[1]); n < 1 || n > len(d.Items) {
				return nil, nil, RefuseField(CodeInvalid, field, "refuse.acceptance.no_such_item",
					Args{"item": m[1], "count": strconv.Itoa(len(d.Items))})
			}
		}
		n, rest, ok := matchItem(d, l)
		if !ok {
			loose = append(loose, l)
			continue
		}
		r := ItemResult{Item: n, Name: d.Items[n-1].Name, Pass: verdict == VerdictPass}
		rest = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(rest), "-—:：,，"))
		word, after, _ := strings.Cut(rest, " ")
		switch w := strings.ToLower(strings.Trim(word, ",，:：;；")); {
		case slices.Contains(failWords, w):
			r.Pass, rest = false, after
		case slices.Contains(passWords, w):
			r.Pass, rest = true, after
		}
		r.Comment = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(rest), "-—:：,，"))
		named[n] = r
	}
	anyFailed := false
	for _, r := range named {
		anyFailed = anyFailed || !r.Pass
	}
	for i, it := range d.Items {
		r, ok := named[i+1]
		if !ok {
			// Not named: it passes, unless the fail named no item at all
			// (the whole delivery goes back). A kept item passed before.
			r = ItemResult{Item: i + 1, Name: it.Name, Pass: verdict == VerdictPass || anyFailed || it.Kept}
		}
		results = append(results, r)
	}
	return results, loose, nil
}

// passResults reads a pass's item notes ("1 格式规范"): each line names an
// item, which passes with the rest of the line as its comment. A line
// naming no item would be lost (a pass has no rework to keep it in), and
// a failing item contradicts the pass: both are refused.
func passResults(d Delivery, lines []string) ([]ItemResult, error) {
	results, loose, err := itemResults(d, VerdictPass, lines)
	if err != nil {
		return nil, err
	}
	if f := (Acceptance{Results: results}).Failed(); len(f) > 0 {
		return nil, RefuseField(CodeInvalid, "notes", "refuse.acceptance.pass_with_failures", Args{"item": f[0].Name})
	}
	if len(loose) > 0 {
		return nil, RefuseField(CodeInvalid, "notes", "refuse.acceptance.note_names_no_item",
			Args{"line": Truncate(loose[0], 40), "count": strconv.Itoa(len(d.Items))})
	}
	return results, nil
}

// CheckVerdictLines reads the lines of a verdict being typed — a fail's
// rework items, a pass's item notes — against the delivery waiting for
// acceptance, so that an item it does not have ("9 缺少用例" on a
// one-item list) is refused on the line that names it, not at the
// confirmation after the whole form. Nothing changes.
func (c *Collaboration) CheckVerdictLines(verdict Verdict, lines []string) error {
	if c.Status != StatusAccepting || len(c.Deliveries) == 0 {
		return nil // Decide says why nothing can be accepted
	}
	d := c.Deliveries[len(c.Deliveries)-1]
	if verdict == VerdictPass {
		_, err := passResults(d, cleanList(lines))
		return err
	}
	_, _, err := itemResults(d, verdict, cleanList(lines))
	return err
}

// matchItem finds the item a line starts with: its number, or its name
// (the longest name that matches, ignoring case).
func matchItem(d Delivery, line string) (int, string, bool) {
	line = strings.TrimSpace(line)
	if m := itemNumber.FindStringSubmatch(line); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= len(d.Items) {
			return n, line[len(m[0]):], true
		}
	}
	best, bestLen := 0, 0
	for i, it := range d.Items {
		// Compare and cut on the line's own bytes: lowercasing can change
		// a string's length ("Ⱥ" is 2 bytes, "ⱥ" 3), so neither the name's
		// length nor the lowered line's indexes fit the original.
		n := prefixFold(line, it.Name)
		if it.Name == "" || n < 0 || n <= bestLen {
			continue
		}
		if after := line[n:]; after != "" && !strings.ContainsAny(after[:1], " \t,，:：;；-—") {
			continue // "接口文档v2" is not "接口文档"
		}
		best, bestLen = i+1, n
	}
	if best == 0 {
		return 0, "", false
	}
	return best, line[bestLen:], true
}

// prefixFold is how many bytes of line spell name, ignoring case, or -1.
func prefixFold(line, name string) int {
	want := []rune(name)
	i := 0
	for n := range want {
		if i >= len(line) {
			return -1
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if !strings.EqualFold(string(r), string(want[n])) {
			return -1
		}
		i += size
	}
	return i
}

// Failed are the items a verdict sent back.
func (a Acceptance) Failed() []ItemResult {
	var out []ItemResult
	for _, r := range a.Results {
		if !r.Pass {
			out = append(out, r)
		}
	}
	return out
}

// reworkLine is how a failed item reads in the rework list: its name and
// what is wrong with it.
func reworkLine(r ItemResult) string {
	if r.Comment == "" {
		return r.Name
	}
	return r.Name + " — " + r.Comment
}

// Changes is what a delivery changed from the one before it (the next
// delivery after a fail shows it).
type Changes struct {
	Added       []string        `json:"added,omitempty"`
	Removed     []string        `json:"removed,omitempty"`
	Versions    []VersionChange `json:"versions,omitempty"`
	Redelivered []string        `json:"redelivered,omitempty"` // items that failed and came back
	Kept        []string        `json:"kept,omitempty"`        // passed before, carried over
}

// VersionChange is an item delivered again under another version.
type VersionChange struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Empty reports a delivery that changed nothing.
func (ch Changes) Empty() bool {
	return len(ch.Added)+len(ch.Removed)+len(ch.Versions)+len(ch.Redelivered) == 0
}

// DeliveryChanges compares delivery n with the one before it and with
// the verdict on that one; the first delivery has no changes.
func (c *Collaboration) DeliveryChanges(n int) (Changes, bool) {
	if n < 2 || n > len(c.Deliveries) {
		return Changes{}, false
	}
	prev, next := c.Deliveries[n-2], c.Deliveries[n-1]
	failed := map[string]bool{}
	for _, a := range c.Acceptances {
		if a.Delivery == n-1 {
			for _, r := range a.Failed() {
				failed[key(r.Name)] = true
			}
			if len(a.Results) == 0 && a.Verdict == VerdictFail {
				for _, it := range prev.Items {
					failed[key(it.Name)] = true
				}
			}
		}
	}
	var ch Changes
	old := map[string]Deliverable{}
	for _, it := range prev.Items {
		old[key(it.Name)] = it
	}
	seen := map[string]bool{}
	for _, it := range next.Items {
		k := key(it.Name)
		seen[k] = true
		was, ok := old[k]
		switch {
		case !ok:
			ch.Added = append(ch.Added, it.Name)
		case it.Kept:
			ch.Kept = append(ch.Kept, it.Name)
		default:
			if was.Version != it.Version {
				ch.Versions = append(ch.Versions, VersionChange{Name: it.Name, From: was.Version, To: it.Version})
			}
			if failed[k] {
				ch.Redelivered = append(ch.Redelivered, it.Name)
			}
		}
	}
	for _, it := range prev.Items {
		if !seen[key(it.Name)] {
			ch.Removed = append(ch.Removed, it.Name)
		}
	}
	return ch, true
}

func key(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// carryOver adds to a re-delivery the items that passed the last
// verdict and are not delivered again, marked kept.
func (c *Collaboration) carryOver(items []Deliverable) []Deliverable {
	if len(c.Acceptances) == 0 || len(c.Deliveries) == 0 {
		return items
	}
	a := c.Acceptances[len(c.Acceptances)-1]
	if a.Verdict != VerdictFail || a.Delivery != len(c.Deliveries) {
		return items
	}
	prev := c.Deliveries[len(c.Deliveries)-1]
	for _, r := range a.Results {
		if !r.Pass || r.Item < 1 || r.Item > len(prev.Items) {
			continue
		}
		if slices.ContainsFunc(items, func(it Deliverable) bool { return key(it.Name) == key(r.Name) }) {
			continue
		}
		it := prev.Items[r.Item-1]
		it.Kept = true
		items = append(items, it)
	}
	return items
}

// Param is the changes as a notice parameter, one "kind|name[|from|to]"
// line each, which ParseChanges reads back: a notice is worded when it is
// sent, in its reader's language.
func (ch Changes) Param() string {
	var lines []string
	for _, n := range ch.Added {
		lines = append(lines, "added|"+n)
	}
	for _, n := range ch.Removed {
		lines = append(lines, "removed|"+n)
	}
	for _, v := range ch.Versions {
		lines = append(lines, "version|"+v.Name+"|"+v.From+"|"+v.To)
	}
	for _, n := range ch.Redelivered {
		lines = append(lines, "redelivered|"+n)
	}
	for _, n := range ch.Kept {
		lines = append(lines, "kept|"+n)
	}
	return strings.Join(lines, "\n")
}

// ParseChanges reads Changes.Param back.
func ParseChanges(s string) Changes {
	var ch Changes
	for _, l := range strings.Split(s, "\n") {
		p := strings.Split(l, "|")
		if len(p) < 2 {
			continue
		}
		switch p[0] {
		case "added":
			ch.Added = append(ch.Added, p[1])
		case "removed":
			ch.Removed = append(ch.Removed, p[1])
		case "redelivered":
			ch.Redelivered = append(ch.Redelivered, p[1])
		case "kept":
			ch.Kept = append(ch.Kept, p[1])
		case "version":
			if len(p) == 4 {
				ch.Versions = append(ch.Versions, VersionChange{Name: p[1], From: p[2], To: p[3]})
			}
		}
	}
	return ch
}

// ChangeLines words the changes for a reader, one line each.
func (ch Changes) ChangeLines() []Msg {
	var out []Msg
	for _, n := range ch.Added {
		out = append(out, Msg{Key: "checklist.change.added", Args: Args{"name": n}})
	}
	for _, n := range ch.Removed {
		out = append(out, Msg{Key: "checklist.change.removed", Args: Args{"name": n}})
	}
	for _, v := range ch.Versions {
		out = append(out, Msg{Key: "checklist.change.version", Args: Args{"name": v.Name, "from": orDash(v.From), "to": orDash(v.To)}})
	}
	for _, n := range ch.Redelivered {
		out = append(out, Msg{Key: "checklist.change.redelivered", Args: Args{"name": n}})
	}
	for _, n := range ch.Kept {
		out = append(out, Msg{Key: "checklist.change.kept", Args: Args{"name": n}})
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
