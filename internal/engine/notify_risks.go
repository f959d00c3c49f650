package engine

import (
	"maps"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The words of the notices a risk's corrections cause: a new owner, a
// field put right, a risk reopened, and leadership told that a risk
// escalated to them was lowered or resolved. Each says what changed, who
// changed it and why.

func init() { maps.Copy(notices, riskNotices) }

var riskNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"risk_severity_changed":    riskSeverityChanged,
	"risk_downgraded":          standDown("risk_downgraded", "reason"),
	"risk_escalation_resolved": standDown("risk_escalation_resolved", "resolution"),
	"risk_handed_over": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		a := v.riskArgs()
		b.say("notice.risk_handed_over.intro", a)
		r := v.risk()
		if r != nil && r.Status == bot.RiskOpen {
			b.say("notice.risk_handed_over.respond", words.Args{"deadline": v.respondBy(v.n.At)})
		}
		if r != nil {
			v.riskCard(&b, r)
			if r.Status == bot.RiskResponded { // what the new owner takes on
				b.field("field.response", r.Response)
			}
		}
		return words.Text("notice.risk_handed_over.title", a), b.text(),
			[]action{button("button.respond", "risk "+v.n.Subject+" respond", "primary")}
	},
	"risk_released": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.riskArgs()
		return words.Text("notice.risk_released.title", a), words.Text("notice.risk_released.body", a), nil
	},
	"risk_revised": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		a := v.riskArgs()
		b.say("notice.risk_revised.intro", a)
		value := v.param("value")
		if v.param("field") == "due" && value == "" {
			value = "—"
		}
		b.field(riskFieldLabels[v.param("field")], value)
		b.field("field.reason", v.param("reason"))
		return words.Text("notice.risk_revised.title", a), b.text(), nil
	},
	"risk_reopened": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		a := v.riskArgs()
		b.say("notice.risk_reopened.intro", a)
		b.field("field.reason", v.param("reason"))
		if r := v.risk(); r != nil {
			if r.Status == bot.RiskOpen {
				b.say("notice.risk_reopened.respond", words.Args{"owner": v.name(r.Owner), "deadline": v.respondBy(v.n.At)})
			}
			v.riskCard(&b, r)
		}
		return words.Text("notice.risk_reopened.title", a), b.text(),
			[]action{button("button.respond", "risk "+v.n.Subject+" respond", "primary")}
	},
}

// riskFieldLabels name the fields of a risk its corrections change.
var riskFieldLabels = map[string]string{
	"description": "field.risk_description", "due": "field.expected_resolution", "department": "field.department",
}

// riskArgs are what every risk notice may quote.
func (v notice) riskArgs() words.Args {
	return words.Args{"risk": v.n.Subject, "by": v.name(bot.PersonID(v.param("by"))), "description": bot.Truncate(v.param("description"), 60),
		"before": both(bot.Severity(v.param("before")).Label), "after": both(bot.Severity(v.param("severity")).Label),
		"owner": v.name(bot.PersonID(v.param("owner"))), "former": v.name(bot.PersonID(v.param("former")))}
}

// riskSeverityChanged tells the owner (and the coordinator) a risk's new
// severity, who set it and why.
func riskSeverityChanged(v notice) (bot.Text, bot.Text, []action) {
	var b body
	a := v.riskArgs()
	key := "notice.risk_severity_changed.body"
	if v.param("by") != "" {
		key = "notice.risk_severity_changed.body_by"
	}
	b.say(key, a)
	b.field("field.reason", v.param("reason"))
	return words.Text("notice.risk_severity_changed.title", a), b.text(),
		[]action{button("button.respond", "risk "+v.n.Subject+" respond", "primary")}
}

// standDown tells those a risk was escalated to that it no longer stands
// as high (notice kind), with why (the field named by param).
func standDown(kind, param string) func(v notice) (bot.Text, bot.Text, []action) {
	return func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		a := v.riskArgs()
		b.say("notice."+kind+".intro", a)
		b.field("field."+param, v.param(param))
		return words.Text("notice."+kind+".title", a), b.text(), v.boardButton()
	}
}
