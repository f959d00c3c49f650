package bot

import (
	"strconv"
	"strings"
)

// Identifiers are numbered per workspace, so "T-3" means one task wherever
// it is typed — in the collaboration's group or in a direct message.
type (
	CollabID  int64
	TaskID    int64
	MeetingID int64
	RiskID    int64
)

// IDKind names one numbering sequence of a workspace.
type IDKind string

const (
	KindCollab  IDKind = "COL"
	KindTask    IDKind = "T"
	KindMeeting IDKind = "M"
	KindRisk    IDKind = "R"
)

func (id CollabID) String() string  { return ref(KindCollab, int64(id)) }
func (id TaskID) String() string    { return ref(KindTask, int64(id)) }
func (id MeetingID) String() string { return ref(KindMeeting, int64(id)) }
func (id RiskID) String() string    { return ref(KindRisk, int64(id)) }

func ref(kind IDKind, n int64) string { return string(kind) + "-" + strconv.FormatInt(n, 10) }

// ParseRef reads an identifier as people type it: "COL-12", "col-12",
// "COL 12", "COL12", "t-3", "T－3", "COL-１" (full-width dash and digits
// from a Chinese IME).
func ParseRef(kind IDKind, s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("－", "-", "—", "-", "–", "-", "#", "", "＃", "").Replace(s)
	s = strings.Map(halfWidth, s)
	upper := strings.ToUpper(s)
	prefix := string(kind)
	if !strings.HasPrefix(upper, prefix) {
		return 0, badRef(kind, s)
	}
	rest := strings.TrimSpace(upper[len(prefix):])
	rest = strings.TrimSpace(strings.TrimPrefix(rest, "-"))
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0, badRef(kind, s)
	}
	return n, nil
}

// halfWidth maps a full-width letter or digit (Ｔ, １) to its ASCII form.
func halfWidth(r rune) rune {
	if r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ' {
		return r - '！' + '!'
	}
	return r
}

func badRef(kind IDKind, s string) error {
	example := ref(kind, 3)
	return RefuseField(CodeInvalid, "id", "refuse.id.invalid", Args{"value": s, "example": example})
}

// ParseCollabID, ParseTaskID, ParseMeetingID and ParseRiskID are ParseRef
// for one kind.
func ParseCollabID(s string) (CollabID, error) {
	n, err := ParseRef(KindCollab, s)
	return CollabID(n), err
}

func ParseTaskID(s string) (TaskID, error) {
	n, err := ParseRef(KindTask, s)
	return TaskID(n), err
}

func ParseMeetingID(s string) (MeetingID, error) {
	n, err := ParseRef(KindMeeting, s)
	return MeetingID(n), err
}

func ParseRiskID(s string) (RiskID, error) {
	n, err := ParseRef(KindRisk, s)
	return RiskID(n), err
}
