package bot

import "time"

// DeptFacts are the rows the department figures of the web board are
// counted from: a store reads them with queries rather than decoding
// every collaboration. Collaborations that never reached the departments
// (drafts, in review, sent back, cancelled before anyone answered) are
// left out by the store; cancelled tasks too.
type DeptFacts struct {
	Acks []AckFact
	// Tasks are the tasks that fell due, counted by department, due
	// instant and outcome: what the figures need, in as many rows as
	// there are distinct due instants rather than tasks.
	Tasks []TaskTally
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

// TaskTally is how many tasks of a department fell due at one instant,
// and whether they were done by then.
type TaskTally struct {
	Department string
	Due        time.Time
	OnTime     bool // done by the due date; otherwise done late or still open
	N          int
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
