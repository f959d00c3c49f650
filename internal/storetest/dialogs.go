package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/collabot/collabot/bot"
)

func testDialogsAndSettings(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	k := bot.DialogKey{Channel: "console:demo-group", Person: "amy"}
	write := func(ws bot.Workspace, fn func(tx bot.Tx) error) {
		t.Helper()
		if err := s.Apply(ctx, ws, "", fn); err != nil {
			t.Fatal(err)
		}
	}
	write("acme", func(tx bot.Tx) error { return tx.SaveDialog(ctx, k, []byte(`{"form":"request","asking":"topic"}`)) })
	write("acme", func(tx bot.Tx) error { return tx.SaveDialog(ctx, k, []byte(`{"form":"request","asking":"goal"}`)) })
	s.View(ctx, "acme", func(tx bot.Tx) error {
		raw, ok, err := tx.Dialog(ctx, k)
		if err != nil || !ok || string(raw) != `{"form":"request","asking":"goal"}` {
			t.Errorf("dialog = %s %v %v", raw, ok, err)
		}
		if _, ok, _ := tx.Dialog(ctx, bot.DialogKey{Channel: "console:dm-amy", Person: "amy"}); ok {
			t.Error("a dialog in another channel leaked")
		}
		return nil
	})
	s.View(ctx, "globex", func(tx bot.Tx) error {
		if _, ok, _ := tx.Dialog(ctx, k); ok {
			t.Error("a dialog of acme is visible in globex")
		}
		return nil
	})
	write("acme", func(tx bot.Tx) error { return tx.EndDialog(ctx, k) })
	s.View(ctx, "acme", func(tx bot.Tx) error {
		if _, ok, _ := tx.Dialog(ctx, k); ok {
			t.Error("ended dialog still there")
		}
		return nil
	})
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { return tx.SaveDialog(ctx, k, []byte("not json")) }); err == nil {
		t.Error("a corrupt dialog state was stored")
	}

	write("acme", func(tx bot.Tx) error { return tx.SaveSettings(ctx, "amy", bot.Settings{Lang: bot.English}) })
	write("acme", func(tx bot.Tx) error {
		st, err := tx.Settings(ctx, "amy")
		st.Department = "研发部"
		if err == nil {
			err = tx.SaveSettings(ctx, "amy", st)
		}
		return err
	})
	s.View(ctx, "acme", func(tx bot.Tx) error {
		st, err := tx.Settings(ctx, "amy")
		if err != nil || st.Lang != bot.English || st.Department != "研发部" {
			t.Errorf("settings = %+v %v", st, err)
		}
		none, _ := tx.Settings(ctx, "nobody")
		if !reflect.DeepEqual(none, bot.Settings{}) {
			t.Errorf("settings of nobody = %+v", none)
		}
		return nil
	})
}
