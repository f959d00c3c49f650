package bot

// Home is what waits for one person, described for a platform's own home
// page (Slack's App Home): sections of items in the reader's language,
// each item with the buttons a notice about it offers, so a click there
// goes the way a click on the notice does.
type Home struct {
	Person   PersonID
	Lang     Lang
	Title    string
	Empty    string // what to say when nothing waits
	Sections []HomeSection
	// Buttons start something new (a request), above the sections.
	Buttons []Button
	// Board is the person's page on the web board, when one is
	// configured: where the rest is when a platform cannot show it all.
	Board string
}

// HomeSection is one kind of thing that waits.
type HomeSection struct {
	Kind  string // "acks", "reviews", "tasks", "meetings", "coordinating"
	Title string
	Items []HomeItem
}

// HomeItem is one thing that waits: a line of text and its buttons.
type HomeItem struct {
	Ref     string // "COL-3", "T-7", "M-2"
	Emoji   string // a task's 🔴🟡🟢
	Text    string // Markdown, like a reply's body
	Buttons []Button
}

// Items counts the items of every section.
func (h *Home) Items() int {
	n := 0
	for _, s := range h.Sections {
		n += len(s.Items)
	}
	return n
}

// KindHome is the kind of the notice that refreshes a person's home
// page; it is rendered when sent, so many changes publish the page once.
const KindHome = "home"
