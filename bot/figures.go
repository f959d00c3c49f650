package bot

import "time"

// DeptFacts are the rows the department figures of the web board are
// counted from: a store reads them with queries rather than decoding
// every collaboration. Collaborations that never reached the departments
// (drafts, in review, sent back, cancelled before anyone answered) are
// left out by the store; cancelled tasks too.
type DeptFacts struct {
	Acks  []AckFact
	Tasks []TaskFact
	Help  []HelpFact
	Risks []RiskFact
}

// AckFact is one department's acknowledgement of a request.
type AckFact struct {
	Collab     CollabID
	Department string
	Status     AckStatus
	AskedAt    time.Time
	At         time.Time // zero while pending
}

// TaskFact is one task of a department.
type TaskFact struct {
	Collab     CollabID
	Task       TaskID
	Department string
	Status     TaskStatus // as set by people; overdue is for the reader to derive
	Due        time.Time
	DoneAt     time.Time
}

// HelpFact is a task set to needs help or blocked.
type HelpFact struct {
	Collab     CollabID
	Task       TaskID
	Department string
	At         time.Time
}

// RiskFact is one risk a department is responsible for.
type RiskFact struct {
	Collab     CollabID
	Department string
	Severity   Severity
	Status     RiskStatus
}
