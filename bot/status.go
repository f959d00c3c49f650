package bot

import (
	"slices"
	"strings"
)

// The status words below are a public contract (English output, JSON and
// scripts); their Chinese labels are what people read in zh-CN.

// CollabStatus is where a collaboration is in the process.
type CollabStatus string

const (
	StatusDraft         CollabStatus = "draft"
	StatusInReview      CollabStatus = "in_review"
	StatusAwaitingAck   CollabStatus = "awaiting_ack"
	StatusActive        CollabStatus = "active"
	StatusAccepting     CollabStatus = "accepting"
	StatusRetrospective CollabStatus = "retrospective"
	StatusArchived      CollabStatus = "archived"
	StatusRejected      CollabStatus = "rejected"
	StatusCancelled     CollabStatus = "cancelled"
)

// Closed reports whether nothing more can happen to the collaboration.
func (s CollabStatus) Closed() bool { return s == StatusArchived || s == StatusCancelled }

// AckStatus is one department's answer to a request.
type AckStatus string

const (
	AckPending   AckStatus = "pending"
	AckAccepted  AckStatus = "accepted"
	AckDeclined  AckStatus = "declined"
	AckNeedsInfo AckStatus = "needs_info"
)

// TaskStatus is set by people; overdue is derived from the due date.
type TaskStatus string

const (
	TaskTodo       TaskStatus = "todo"
	TaskInProgress TaskStatus = "in_progress"
	TaskNeedsHelp  TaskStatus = "needs_help"
	TaskBlocked    TaskStatus = "blocked"
	TaskDone       TaskStatus = "done"
	TaskCancelled  TaskStatus = "cancelled" // taken off the plan, with a reason; never chased
	TaskOverdue    TaskStatus = "overdue"   // derived, never stored
	// TaskAwaitingConfirmation waits for the department head's
	// confirmation (负责人确认) before its owner is told; never set by hand.
	TaskAwaitingConfirmation TaskStatus = "awaiting_confirmation"
)

// RiskStatus tracks a risk or issue from filing to resolution.
type RiskStatus string

const (
	RiskOpen      RiskStatus = "open"
	RiskResponded RiskStatus = "responded"
	RiskResolved  RiskStatus = "resolved"
)

// Severity is a risk's impact 影响程度.
type Severity string

const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
)

// Verdict is the requester's decision on a delivery.
type Verdict string

const (
	VerdictPass Verdict = "pass"
	VerdictFail Verdict = "fail"
)

// DeptRole is a department's part in a task: 主责 (lead) or 配合 (support).
type DeptRole string

const (
	RoleLead    DeptRole = "lead"
	RoleSupport DeptRole = "support"
)

// MeetingKind is one of the meetings the process names.
type MeetingKind string

const (
	MeetingKickoff       MeetingKind = "kickoff"
	MeetingPlanning      MeetingKind = "planning"
	MeetingPlanReview    MeetingKind = "plan_review"
	MeetingWeekly        MeetingKind = "weekly"
	MeetingStandup       MeetingKind = "standup"
	MeetingTopic         MeetingKind = "topic"
	MeetingAcceptance    MeetingKind = "acceptance"
	MeetingRetrospective MeetingKind = "retrospective"
)

// word is one status word with its labels and the other ways people type it.
type word struct {
	value    string
	label    Text
	synonyms []string
}

func words(ws ...word) []word { return ws }

var (
	collabWords = words(
		word{"draft", Text{"草稿", "draft"}, nil},
		word{"in_review", Text{"初审中", "in review"}, nil},
		word{"awaiting_ack", Text{"待确认", "awaiting acknowledgement"}, nil},
		word{"active", Text{"进行中", "active"}, nil},
		word{"accepting", Text{"验收中", "accepting"}, nil},
		word{"retrospective", Text{"复盘中", "retrospective"}, nil},
		word{"archived", Text{"已归档", "archived"}, nil},
		word{"rejected", Text{"已退回", "rejected"}, nil},
		word{"cancelled", Text{"已取消", "cancelled"}, nil},
	)
	ackWords = words(
		word{"pending", Text{"待确认", "pending"}, nil},
		word{"accepted", Text{"已承接", "accepted"}, []string{"accept", "承接", "接受"}},
		word{"declined", Text{"无法承接", "declined"}, []string{"decline", "拒绝", "不承接"}},
		word{"needs_info", Text{"需补充信息", "needs info"}, []string{"info", "need info", "需补充", "补充信息"}},
	)
	taskWords = words(
		word{"todo", Text{"待执行", "to do"}, []string{"to do", "to_do", "未开始", "待办"}},
		word{"in_progress", Text{"进行中", "in progress"}, []string{"doing", "wip", "进行", "执行中"}},
		word{"needs_help", Text{"需协助", "needs help"}, []string{"help", "需要协助", "求助"}},
		word{"blocked", Text{"阻塞", "blocked"}, []string{"block", "卡住", "受阻"}},
		word{"done", Text{"已完成", "done"}, []string{"finished", "complete", "completed", "完成"}},
		word{"cancelled", Text{"已取消", "cancelled"}, []string{"canceled"}},
		word{"overdue", Text{"延期", "overdue"}, nil},
	)
	// taskLabels name every task status; awaiting confirmation is not
	// among the words people choose from.
	taskLabels = append(slices.Clip(taskWords), word{"awaiting_confirmation", Text{"待负责人确认", "awaiting confirmation"}, nil})
	riskWords  = words(
		word{"open", Text{"待响应", "open"}, nil},
		word{"responded", Text{"已响应", "responded"}, nil},
		word{"resolved", Text{"已解决", "resolved"}, nil},
	)
	severityWords = words(
		word{"high", Text{"高", "high"}, []string{"h", "严重"}},
		word{"medium", Text{"中", "medium"}, []string{"m", "med", "一般"}},
		word{"low", Text{"低", "low"}, []string{"l", "轻微"}},
	)
	verdictWords = words(
		word{"pass", Text{"通过", "pass"}, []string{"passed", "ok", "验收通过"}},
		word{"fail", Text{"不通过", "fail"}, []string{"failed", "reject", "未通过", "驳回"}},
	)
	roleWords = words(
		word{"lead", Text{"主责", "lead"}, []string{"主责部门", "owner"}},
		word{"support", Text{"配合", "support"}, []string{"配合部门", "assist"}},
	)
	meetingWords = words(
		word{"kickoff", Text{"启动会", "kickoff"}, []string{"kick-off", "启动"}},
		word{"planning", Text{"规划会", "planning"}, []string{"规划"}},
		word{"plan_review", Text{"方案评审会", "plan review"}, []string{"review", "评审会", "方案评审"}},
		word{"weekly", Text{"周例会", "weekly"}, []string{"例会"}},
		word{"standup", Text{"站会", "stand-up"}, []string{"stand-up", "daily"}},
		word{"topic", Text{"专题会", "special topic"}, []string{"special", "专题"}},
		word{"acceptance", Text{"验收会", "acceptance"}, []string{"验收"}},
		word{"retrospective", Text{"复盘会", "retrospective"}, []string{"retro", "复盘"}},
	)
)

func label(ws []word, value string, lang Lang) string { return labelText(ws, value).In(lang) }

func labelText(ws []word, value string) Text {
	for _, w := range ws {
		if w.value == value {
			return w.label
		}
	}
	return Text{ZH: value, EN: value}
}

// LabelText methods give a status word in every language, for wording
// written before its reader's language is known (a refusal).
func (s CollabStatus) LabelText() Text { return labelText(collabWords, string(s)) }
func (s AckStatus) LabelText() Text    { return labelText(ackWords, string(s)) }
func (s TaskStatus) LabelText() Text   { return labelText(taskLabels, string(s)) }
func (s Severity) LabelText() Text     { return labelText(severityWords, string(s)) }

// Label methods give a status word as people read it in lang
// ("needs_help" → "需协助"); an unknown word is returned unchanged.
func (s CollabStatus) Label(lang Lang) string { return label(collabWords, string(s), lang) }
func (s AckStatus) Label(lang Lang) string    { return label(ackWords, string(s), lang) }
func (s TaskStatus) Label(lang Lang) string   { return label(taskLabels, string(s), lang) }
func (s RiskStatus) Label(lang Lang) string   { return label(riskWords, string(s), lang) }
func (s Severity) Label(lang Lang) string     { return label(severityWords, string(s), lang) }
func (s Verdict) Label(lang Lang) string      { return label(verdictWords, string(s), lang) }
func (s DeptRole) Label(lang Lang) string     { return label(roleWords, string(s), lang) }
func (s MeetingKind) Label(lang Lang) string  { return label(meetingWords, string(s), lang) }

func parseWord(ws []word, s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.ReplaceAll(k, "-", "_")
	for _, w := range ws {
		if k == w.value || k == strings.ToLower(w.label.EN) || k == w.label.ZH ||
			strings.ReplaceAll(k, "_", " ") == strings.ToLower(w.label.EN) {
			return w.value, true
		}
		for _, syn := range w.synonyms {
			if k == strings.ReplaceAll(strings.ToLower(syn), "-", "_") {
				return w.value, true
			}
		}
	}
	return "", false
}

// choices are the words one may choose, as people read them.
func choices(ws []word, exclude string) List {
	var l List
	for _, w := range ws {
		if w.value != exclude {
			l = append(l, w.label)
		}
	}
	return l
}

func parseChoice(ws []word, field, s, exclude string) (string, error) {
	if v, ok := parseWord(ws, s); ok && v != exclude {
		return v, nil
	}
	return "", RefuseField(CodeInvalid, field, "refuse.choice.unknown", Args{"value": s, "choices": choices(ws, exclude)})
}

// ParseTaskStatus accepts the English word, its label or the Chinese label;
// "overdue" is refused because it follows from the due date.
func ParseTaskStatus(s string) (TaskStatus, error) {
	v, err := parseChoice(taskWords, "status", s, string(TaskOverdue))
	return TaskStatus(v), err
}

// ParseSeverity accepts high/medium/low and 高/中/低.
func ParseSeverity(s string) (Severity, error) {
	v, err := parseChoice(severityWords, "severity", s, "")
	return Severity(v), err
}

// ParseVerdict accepts pass/fail and 通过/不通过.
func ParseVerdict(s string) (Verdict, error) {
	v, err := parseChoice(verdictWords, "verdict", s, "")
	return Verdict(v), err
}

// ParseDeptRole accepts lead/support and 主责/配合.
func ParseDeptRole(s string) (DeptRole, error) {
	v, err := parseChoice(roleWords, "role", s, "")
	return DeptRole(v), err
}

// ParseMeetingKind accepts the kinds of process.md in either language.
func ParseMeetingKind(s string) (MeetingKind, error) {
	v, err := parseChoice(meetingWords, "kind", s, "")
	return MeetingKind(v), err
}

// ParseAckStatus reads an acknowledgement answer (accept / decline /
// needs info, 承接 / 无法承接 / 需补充信息); "pending" is not an answer.
func ParseAckStatus(s string) (AckStatus, error) {
	v, err := parseChoice(ackWords, "decision", s, string(AckPending))
	return AckStatus(v), err
}
