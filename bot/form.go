package bot

// Forms as data: the engine describes the form a command opens and takes
// its answers back as values, so that a chat dialog, a Slack modal and a
// DingTalk card are renderings of one description and no adapter parses
// commands or reads the engine's wording back.

// InputKind is how a form field is answered, as a renderer draws it.
type InputKind string

// Field kinds. A renderer without a widget for a kind offers text.
const (
	InputText        InputKind = "text"        // one line
	InputLongText    InputKind = "longtext"    // several lines (lists, rows of a table too)
	InputDate        InputKind = "date"        // a day: YYYY-MM-DD
	InputDateTime    InputKind = "datetime"    // a moment: YYYY-MM-DD HH:MM
	InputNumber      InputKind = "number"      // a whole number
	InputChoice      InputKind = "choice"      // one of Choices
	InputChoices     InputKind = "choices"     // several of Choices
	InputPerson      InputKind = "person"      // one person, answered with an Identity
	InputPeople      InputKind = "people"      // several people
	InputDepartment  InputKind = "department"  // one department; Choices lists them when known
	InputDepartments InputKind = "departments" // several departments
)

// Form is the form a command opens: what it is about, its fields in the
// order they are asked, and the answers the command itself already gave
// ("ack COL-1 decline" gave the decision).
type Form struct {
	Name   string // the template: "request", "acknowledgement", …
	Title  Text
	Target string // what it is about ("COL-3/研发部"); given back in the Submission
	// Subject is what a renderer shows atop the form: the identifiers and
	// the answers the command gave, in the reader's language.
	Subject []string
	// Given are the answers the command gave, by field key; their fields
	// are not asked again and go back with the Submission.
	Given  map[string]string
	Fields []FormField
	Lang   Lang // the reader's language
	// OneTap: the command's answers are all the form requires, and what
	// is left is optional details a person may add afterwards. A renderer
	// with buttons submits it as it is on one click (accepting an
	// acknowledgement) instead of showing a form to be submitted empty.
	OneTap bool
}

// FormField is one question of a Form.
type FormField struct {
	Key     string
	Kind    InputKind
	Label   Text
	Prompt  Text
	Help    Text
	Example Text
	// Required: the form is refused without an answer. A field that only
	// exists for some answer of an earlier choice (When) is required only
	// then; the engine checks it on submission.
	Required bool
	Choices  []FormChoice
	Max      int // for text, the longest answer in runes; 0: no limit
	// Value is the current answer (editing something that exists), in the
	// form a Submission gives it back.
	Value  []string
	People []Identity // the current answer of a person field: accounts on the reader's platform
	// When makes the field exist only while another field's choice is one
	// of In.
	When *FormCondition
}

// FormChoice is one allowed answer of a choice or department field.
type FormChoice struct {
	Value string
	Label Text
}

// FormCondition holds while the choice field Field is answered with one
// of In.
type FormCondition struct {
	Field string
	In    []string
}

// Submission is a filled-in Form: values by field key (a choice's value,
// department names, dates as YYYY-MM-DD, text as typed) and people by
// field key as platform accounts, which the engine resolves. Given values
// of the Form come back in Values.
type Submission struct {
	Form   string
	Target string
	Values map[string][]string
	People map[string][]Identity
}

// FormProblem is what is wrong with one field of a submission, in the
// reader's language, with the refusal behind it.
type FormProblem struct {
	Field   string // the field key; "" when no field is at fault
	Message string
	Refusal *Error
}

// FormResult is the engine's answer to a Submission: problems, and
// nothing changed; or the replies of the committed form. A refusal that
// names no field is a problem without one.
type FormResult struct {
	Problems []FormProblem
	Replies  []Reply
}

// OK reports whether the submission was committed.
func (r FormResult) OK() bool { return len(r.Problems) == 0 }
