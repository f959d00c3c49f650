package dingtalk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestShippedTemplateDeclaresEveryVariable: every variable a notice card
// or a form card fills is declared in the shipped template description,
// and its submit button sends what submitForm reads back.
func TestShippedTemplateDeclaresEveryVariable(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "configs", "dingtalk-cards", "collabot-card.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Variables []struct {
			Name string `json:"name"`
		} `json:"variables"`
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, v := range tpl.Variables {
		declared[v.Name] = true
	}
	form := &bot.Form{Name: "task", Title: bot.Text{ZH: "任务", EN: "Task"}, Lang: bot.Chinese,
		Fields: []bot.FormField{{Key: "title", Kind: bot.InputText, Required: true}}}
	for name, data := range map[string]map[string]string{
		"notice": cardData(bot.Reply{Title: "t", Body: "b", Buttons: []bot.Button{{Label: "x", Command: "board COL-1"}}}, bot.Chinese, true),
		"form":   formCardData(form, "task add COL-1", nil, []bot.FormProblem{{Field: "title", Message: "m"}}),
	} {
		for k := range data {
			if !declared[k] {
				t.Errorf("the %s card fills %q, which the shipped template does not declare", name, k)
			}
		}
	}
	for _, want := range []string{`"action": "submit"`, `"command": "${command}"`, `"actionId": "submit"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the shipped template's submit button lacks %s", want)
		}
	}
}
