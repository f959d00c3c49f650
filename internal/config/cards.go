package config

import "reflect"

// DingTalkCards are the ids of the interactive card templates (互动卡片)
// imported in the DingTalk developer console, one per kind of notice
// (configs/dingtalk-cards/ describes them). A kind left empty is sent
// as today's ActionCard or markdown.
type DingTalkCards struct {
	Ack        string `yaml:"ack"`        // acknowledgement requests
	Review     string `yaml:"review"`     // first review requests
	Task       string `yaml:"task"`       // a task's status: assigned, started, done
	Progress   string `yaml:"progress"`   // daily progress requests
	Minutes    string `yaml:"minutes"`    // minutes to confirm
	Risk       string `yaml:"risk"`       // risks to respond to
	Acceptance string `yaml:"acceptance"` // deliveries to accept
	// Form draws the engine's forms (filing, a task, delivery, daily
	// progress prefilled, the retrospective) as a card with inputs.
	Form string `yaml:"form"`
	// Notice carries any other notice with buttons (the group's "add a
	// task", "archive"), so that they work in a group too.
	Notice string `yaml:"notice"`
}

// Templates are the configured template ids by card kind, empty ones
// left out: what the DingTalk adapter's Options.Cards takes.
func (c DingTalkCards) Templates() map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{"ack": c.Ack, "review": c.Review, "task": c.Task, "progress": c.Progress,
		"minutes": c.Minutes, "risk": c.Risk, "acceptance": c.Acceptance, "form": c.Form, "notice": c.Notice} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// cardEnv are the COLLABOT_DINGTALK_CARD_* variables, one per kind.
var cardEnv = []struct {
	name, key string
	field     func(*Config) *string
}{
	{"COLLABOT_DINGTALK_CARD_ACK", "dingtalk.cards.ack", func(c *Config) *string { return &c.DingTalk.Cards.Ack }},
	{"COLLABOT_DINGTALK_CARD_REVIEW", "dingtalk.cards.review", func(c *Config) *string { return &c.DingTalk.Cards.Review }},
	{"COLLABOT_DINGTALK_CARD_TASK", "dingtalk.cards.task", func(c *Config) *string { return &c.DingTalk.Cards.Task }},
	{"COLLABOT_DINGTALK_CARD_PROGRESS", "dingtalk.cards.progress", func(c *Config) *string { return &c.DingTalk.Cards.Progress }},
	{"COLLABOT_DINGTALK_CARD_MINUTES", "dingtalk.cards.minutes", func(c *Config) *string { return &c.DingTalk.Cards.Minutes }},
	{"COLLABOT_DINGTALK_CARD_RISK", "dingtalk.cards.risk", func(c *Config) *string { return &c.DingTalk.Cards.Risk }},
	{"COLLABOT_DINGTALK_CARD_ACCEPTANCE", "dingtalk.cards.acceptance", func(c *Config) *string { return &c.DingTalk.Cards.Acceptance }},
	{"COLLABOT_DINGTALK_CARD_FORM", "dingtalk.cards.form", func(c *Config) *string { return &c.DingTalk.Cards.Form }},
	{"COLLABOT_DINGTALK_CARD_NOTICE", "dingtalk.cards.notice", func(c *Config) *string { return &c.DingTalk.Cards.Notice }},
}

func init() {
	envVars = append(envVars, cardEnv...)
	sections["config.DingTalkCards"] = section{prefix: "dingtalk.cards.", keys: yamlKeys(reflect.TypeOf(DingTalkCards{}))}
}
