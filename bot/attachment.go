package bot

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Attachment is a file or link shared with a progress update, a delivery,
// minutes or a risk (附件). The bot keeps a reference only — never the
// bytes — so the platform stays where the file lives and who may read it.
// Adapters fill it from what the platform sent (a Slack file's permalink,
// a DingTalk download link, a path typed in the terminal); the core never
// reads a platform's payload.
type Attachment struct {
	Name     string   `json:"name"`
	Size     int64    `json:"size,omitempty"` // bytes, when the platform said
	Link     string   `json:"link"`
	Platform Platform `json:"platform,omitempty"`
	// ID is the platform's own id of the file (Slack's "F0123"), so the
	// same file shared twice is kept once.
	ID string `json:"id,omitempty"`
}

// Limits of attachments: enough for a report and its appendices, few
// enough that a board stays readable.
const (
	MaxAttachments    = 10
	MaxAttachmentName = 120 // runes
)

// AddAttachments checks add and appends it to have: a name and a link
// each, names not too long, no more than MaxAttachments in all. The same
// file (by id, else by link) is kept once. A link is a web address, or on
// the terminal a file path (the terminal is one machine).
func AddAttachments(have, add []Attachment) ([]Attachment, error) {
	out := append([]Attachment(nil), have...)
	for _, a := range add {
		a.Name, a.Link = strings.TrimSpace(a.Name), strings.TrimSpace(a.Link)
		if a.Link == "" {
			return have, RefuseField(CodeInvalid, "attachments", "refuse.attachment.no_link", Args{"name": Truncate(a.Name, 40)})
		}
		if a.Name == "" {
			a.Name = nameOfLink(a.Link)
		}
		if utf8.RuneCountInString(a.Name) > MaxAttachmentName {
			return have, RefuseField(CodeInvalid, "attachments", "refuse.attachment.name_too_long",
				Args{"name": Truncate(a.Name, 40), "max": strconv.Itoa(MaxAttachmentName)})
		}
		if !webLink(a.Link) && !(a.Platform == Console && !strings.Contains(a.Link, "://")) {
			return have, RefuseField(CodeInvalid, "attachments", "refuse.attachment.bad_link", Args{"link": Truncate(a.Link, 80)})
		}
		if a.Size < 0 {
			a.Size = 0
		}
		if sameFile(out, a) {
			continue
		}
		if len(out) >= MaxAttachments {
			return have, RefuseField(CodeInvalid, "attachments", "refuse.attachment.too_many", Args{"max": strconv.Itoa(MaxAttachments)})
		}
		out = append(out, a)
	}
	return out, nil
}

func sameFile(in []Attachment, a Attachment) bool {
	for _, b := range in {
		if (a.ID != "" && a.ID == b.ID && a.Platform == b.Platform) || a.Link == b.Link {
			return true
		}
	}
	return false
}

// nameOfLink is the last part of a link's path, or the link itself.
func nameOfLink(link string) string {
	s := strings.TrimRight(link, "/")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexAny(s, `/\`); i >= 0 && i+1 < len(s) {
		return s[i+1:]
	}
	return link
}

// Line is how an attachment is shown in chat, the record and the board:
// its name, its size when known, and its link unless the link is the name.
func (a Attachment) Line() string {
	s := a.Name
	if size := SizeText(a.Size); size != "" {
		s += " (" + size + ")"
	}
	if a.Link != "" && a.Link != a.Name {
		s += " · " + a.Link
	}
	return s
}

// SizeText is a size as people read it: "320 KB", "1.4 MB"; "" unknown.
func SizeText(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return strconv.FormatInt((n+512)/1024, 10) + " KB"
	default:
		return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MB"
	}
}

// Takes attachments: the forms whose records keep files and links.
var attachingForms = map[string]bool{"progress": true, "delivery": true, "minutes": true, "risk": true}

// TakesAttachments reports whether what a form records can keep
// attachments.
func TakesAttachments(form string) bool { return attachingForms[form] }

// AttachToMinutes keeps files and links with a meeting's minutes (or an
// occurrence's, on names its day).
func (c *Collaboration) AttachToMinutes(days Days, id MeetingID, on string, add []Attachment, now time.Time) error {
	m, err := c.meetingOrOccurrence(days, id, on, now)
	if err != nil {
		return err
	}
	if m.Minutes == nil {
		return Refuse(CodeWrongState, "refuse.attachment.no_minutes", Args{"meeting": m.Ref()})
	}
	atts, err := AddAttachments(m.Minutes.Attachments, add)
	if err != nil {
		return err
	}
	m.Minutes.Attachments = atts
	return nil
}
