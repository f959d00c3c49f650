package config

import (
	"maps"
	"strings"
	"testing"
)

func TestDingTalkCardsFromFile(t *testing.T) {
	path := writeFile(t, "collabot.yaml", "dingtalk:\n  cards:\n    ack: tpl-ack.schema\n    task: tpl-task.schema\n")
	c, err := Load(path, env(map[string]string{"COLLABOT_DINGTALK_CARD_TASK": "tpl-env.schema"}))
	if err != nil {
		t.Fatal(err)
	}
	got := c.DingTalk.Cards.Templates()
	if want := map[string]string{"ack": "tpl-ack.schema", "task": "tpl-env.schema"}; !maps.Equal(got, want) {
		t.Errorf("templates %v, want %v", got, want)
	}
	_, err = Load(writeFile(t, "bad.yaml", "dingtalk:\n  cards:\n    akc: x\n"), env(nil))
	if err == nil {
		t.Fatal("a misspelt card kind was accepted")
	}
	if !strings.Contains(err.Error(), "dingtalk.cards.akc") {
		t.Errorf("the error does not name the key: %v", err)
	}
}
