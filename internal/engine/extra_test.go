package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/internal/testkit"
)

// TestExtraTemplateFieldsAreKept: a field an operator adds to the request
// template (预算) is asked, kept with the request, shown in the record in
// every format, and can be edited like the others.
func TestExtraTemplateFieldsAreKept(t *testing.T) {
	dir := t.TempDir()
	base, err := configs.FS.ReadFile("templates/request.yaml")
	if err != nil {
		t.Fatal(err)
	}
	budget := `
  - key: budget
    label: {zh: 预算, en: Budget}
    prompt:
      zh: "预算多少?(可选,例如:5 万元)"
      en: "What is the budget? (optional, e.g. 50k CNY)"
    type: text
    aliases: [费用]
`
	if err := os.WriteFile(filepath.Join(dir, "request.yaml"), append(base, budget...), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "collabot.db"), clock: console.NewClock(monday)}
	demo := testkit.OpenDemoTemplates(t, h.path, h.clock, "", dir)
	h.cfg, h.ws, h.store, h.eng = demo.Config, demo.Workspace(), demo.Store, demo.Engine

	out := h.chat("发起协作\n" + strings.Replace(pastedRequest, "期望完成时间", "预算: 5 万元\n期望完成时间", 1) + "确认\n")
	mustContain(t, out, "预算: 5 万元", "COL-1")
	c := h.collab(1)
	if c.Request.Extra["budget"] != "5 万元" || c.Request.ExtraLabels["budget"].ZH != "预算" {
		t.Fatalf("extra = %v, labels %v", c.Request.Extra, c.Request.ExtraLabels)
	}

	h.chat(":as amy\n\"\"\"\n修改 COL-1\n预算: 6 万元\n\"\"\"\n确认\n")
	formats := map[string]func(s *record.Sheet, b *bytes.Buffer) error{
		"md zh":  func(s *record.Sheet, b *bytes.Buffer) error { return s.Markdown(b, bot.Chinese) },
		"md en":  func(s *record.Sheet, b *bytes.Buffer) error { return s.Markdown(b, bot.English) },
		"csv zh": func(s *record.Sheet, b *bytes.Buffer) error { return s.CSV(b, bot.Chinese) },
		"json":   func(s *record.Sheet, b *bytes.Buffer) error { return s.JSON(b) },
	}
	wants := map[string][]string{
		"md zh":  {"| 预算 | 6 万元 |", "预算:5 万元 → 6 万元"},
		"md en":  {"| Budget | 6 万元 |", "Budget: 5 万元 → 6 万元"},
		"csv zh": {"预算,6 万元"},
		"json":   {`"budget": "6 万元"`},
	}
	for name, write := range formats {
		var b bytes.Buffer
		err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
			ctx := context.Background()
			c, err := tx.Collaboration(ctx, 1)
			if err != nil {
				return err
			}
			sheet, err := record.Read(ctx, tx, c, h.cfg.Directory(), h.clock.Now(), h.cfg.Location())
			if err != nil {
				return err
			}
			return write(sheet, &b)
		})
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, b.String(), wants[name]...)
	}
}
