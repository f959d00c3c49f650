package forms_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

var shanghai = mustLocation("Asia/Shanghai")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// monday is "now" in every test: Monday 2026-11-23 10:00 in Shanghai.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai)

var (
	fixtureOnce sync.Once
	fixtureCal  *calendar.Calendar
	fixtureDir  *bot.Directory
	fixtureSet  *forms.Set
	fixtureErr  error
)

// fixture is the demo organisation with China's 2026 holidays
// (configs/demo.yaml and configs/calendars/cn-2026.yaml) and the embedded
// templates.
func fixture(t testing.TB) (*calendar.Calendar, *bot.Directory, *forms.Set) {
	t.Helper()
	fixtureOnce.Do(func() {
		var cfg *config.Config
		if cfg, fixtureErr = config.LoadDemo(func(string) string { return "" }); fixtureErr != nil {
			return
		}
		if fixtureCal, fixtureErr = cfg.Calendar(slog.New(slog.DiscardHandler)); fixtureErr != nil {
			return
		}
		fixtureDir = cfg.Directory()
		fixtureSet, fixtureErr = forms.Load(configs.FS, "")
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureCal, fixtureDir, fixtureSet
}

// ctx is a DingTalk speaker's context at monday.
func ctx(t testing.TB) forms.Context {
	cal, dir, _ := fixture(t)
	return forms.Context{Now: monday, Calendar: cal, Directory: dir, Platform: bot.DingTalk}
}

func at(t testing.TB, now time.Time) forms.Context {
	c := ctx(t)
	c.Now = now
	return c
}

// field is a bare field of a type, as a template would declare it.
func field(typ forms.Type) *forms.Field {
	f := &forms.Field{Key: "f", Type: typ, Label: bot.Text{ZH: "字段", EN: "Field"}}
	if typ == forms.TypeRef {
		f.Ref = bot.KindTask
	}
	return f
}

func template(t testing.TB, name string) *forms.Template {
	t.Helper()
	_, _, set := fixture(t)
	tpl, ok := set.Get(name)
	if !ok {
		t.Fatalf("no template %q", name)
	}
	return tpl
}

func templateField(t testing.TB, name, key string) *forms.Field {
	t.Helper()
	f, ok := template(t, name).Field(key)
	if !ok {
		t.Fatalf("template %s has no field %s", name, key)
	}
	return f
}

// accepts checks that f reads in as want, and reads want back as want.
func accepts(t *testing.T, c forms.Context, f *forms.Field, in, want string) {
	t.Helper()
	got, err := f.Parse(c, in)
	if err != nil {
		t.Errorf("Parse(%q) refused: %v", in, err)
		return
	}
	if got != want {
		t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		return
	}
	again, err := f.Parse(c, got)
	if err != nil || again != got {
		t.Errorf("Parse(canonical %q) = %q, %v: not a fixed point", got, again, err)
	}
}

// refuses checks that f refuses in with code, naming the field, saying
// what is wrong in both languages and containing each of the hints.
func refuses(t *testing.T, c forms.Context, f *forms.Field, in string, code bot.Code, hints ...string) *bot.Error {
	t.Helper()
	got, err := f.Parse(c, in)
	if err == nil {
		t.Errorf("Parse(%q) = %q, want a refusal", in, got)
		return nil
	}
	e, ok := err.(*bot.Error)
	if !ok {
		t.Errorf("Parse(%q): %T %v, want *bot.Error", in, err, err)
		return nil
	}
	if e.Code != code || e.Field != f.Key || words.Msg(bot.Chinese, e.Msg) == "" || words.Msg(bot.English, e.Msg) == "" {
		t.Errorf("Parse(%q) = %+v, want code %s for field %s in both languages", in, e, code, f.Key)
	}
	if code != bot.CodeUnknownDept && (!strings.Contains(words.Msg(bot.Chinese, e.Msg), "例如") || !strings.Contains(words.Msg(bot.English, e.Msg), "For example")) {
		t.Errorf("Parse(%q): message %q shows no example of a right answer", in, e.Msg)
	}
	for _, h := range hints {
		if !strings.Contains(words.Msg(bot.Chinese, e.Msg)+"\n"+words.Msg(bot.English, e.Msg), h) {
			t.Errorf("Parse(%q): message %q lacks %q", in, e.Msg, h)
		}
	}
	return e
}
