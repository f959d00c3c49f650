package forms_test

import (
	"testing"

	"github.com/collabot/collabot/internal/forms"
)

func BenchmarkParseDate(b *testing.B) {
	c := ctx(b)
	f := field(forms.TypeDate)
	for b.Loop() {
		if _, err := f.Parse(c, "下周五下午3点"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePastedRequest(b *testing.B) {
	c := ctx(b)
	req := template(b, "request")
	for b.Loop() {
		raw, _, ok := req.ParsePaste(pastedRequest)
		if !ok {
			b.Fatal("not a paste")
		}
		for key, answer := range raw {
			f, _ := req.Field(key)
			if _, err := f.Parse(c, answer); err != nil {
				b.Fatal(err)
			}
		}
	}
}
