package forms_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
)

// FuzzParse: no answer crashes a parser, and whatever is accepted reads
// back as itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"明天下午3点", "3个工作日内", "@bob 完成接口调试 12/1", "T-3: 需协助 缺账号",
		"接口文档, v1.2, 1, https://x.com/a", "研发部、财务部", "<@U0BOB> <!channel>", "1小时30分", "１２／１",
		"bob: 完成, 12.1", "下下周日晚上12点", "https://x.com", "承接", "1,000", "二〇二六年十二月一日"} {
		f.Add(s)
	}
	types := []forms.Type{forms.TypeText, forms.TypeLongText, forms.TypeDate, forms.TypeDateTime, forms.TypeDuration,
		forms.TypeDepartments, forms.TypePeople, forms.TypeNumber, forms.TypeURL, forms.TypeList,
		forms.TypeActions, forms.TypeDeliverables, forms.TypeStatuses, forms.TypeRef}
	f.Fuzz(func(t *testing.T, in string) {
		c := ctx(t)
		c.Mentions = []bot.Identity{{Platform: bot.DingTalk, ID: "staff2051"}}
		fields := []*forms.Field{templateField(t, "acknowledgement", "decision")}
		for _, typ := range types {
			fields = append(fields, field(typ))
		}
		for _, fl := range fields {
			got, err := fl.Parse(c, in)
			if err != nil {
				if _, ok := err.(*bot.Error); !ok {
					t.Fatalf("%s: Parse(%q): %T", fl.Type, in, err)
				}
				continue
			}
			c.Mentions = nil // a stored value has no message around it
			if again, err := fl.Parse(c, got); err != nil || again != got {
				t.Fatalf("%s: Parse(%q) = %q, but Parse(%q) = %q, %v", fl.Type, in, got, got, again, err)
			}
			c.Mentions = []bot.Identity{{Platform: bot.DingTalk, ID: "staff2051"}}
		}
	})
}
