package record

import "testing"

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<!channel> 请看", "‹!channel› 请看"},
		{"<!here|here>", "‹!here|here›"},
		{"<!subteam^S123> <@U123>", "‹!subteam^S123› ‹@U123›"},
		{"unclosed <!channel", "unclosed ‹!channel"},
		{"@all 注意", "＠all 注意"},
		{"@ALL @Channel @here @everyone", "＠ALL ＠Channel ＠here ＠everyone"},
		{"@所有人 开会", "＠所有人 开会"},
		{"@allison and bob@example.com", "@allison and bob@example.com"},
		{"a < b > c", "a < b > c"},
	}
	for _, tt := range tests {
		if got := neutralise(tt.in); got != tt.want {
			t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	tests := []struct {
		name, in, want string
		fn             func(string) string
	}{
		{"inline joins lines", "a\n# b\n\nc", "a # b c", inline},
		{"block keeps the first line after its label", "# 一\n# 二", "# 一\n  \\# 二", func(s string) string { return block(s, "  ") }},
		{"item escapes its first line too", "# 一", `\# 一`, func(s string) string { return item(s, "    ") }},
		{"quote", "x\n> 引用", "x\n  \\> 引用", func(s string) string { return block(s, "  ") }},
		{"table", "x\n| a | b |\n|---|---|", "x\n  \\| a | b |\n  \\|---|---|", func(s string) string { return block(s, "  ") }},
		{"delimiter row without pipes", "a | b\n--- | ---", "a | b\n  \\--- | ---", func(s string) string { return block(s, "  ") }},
		{"setext underline", "x\n===", "x\n  \\===", func(s string) string { return block(s, "  ") }},
		{"code fence", "x\n```\ny", "x\n  \\```\n  y", func(s string) string { return block(s, "  ") }},
		{"html block", "x\n<div>", "x\n  \\<div>", func(s string) string { return block(s, "  ") }},
		{"link definition", "x\n[a]: http://x", "x\n  \\[a]: http://x", func(s string) string { return block(s, "  ") }},
		{"blank lines and indentation dropped", "a\n\n\n      b", "a\n  b", func(s string) string { return block(s, "  ") }},
		{"inline html", "看 <script>alert(1)</script>", `看 \<script>alert(1)\</script>`, inline},
		{"html is escaped once", "<b>x</b>", `\<b>x\</b>`, func(s string) string { return item(s, "  ") }},
		{"escaping twice changes nothing", `\<b>x\</b>`, `\<b>x\</b>`, inline},
		{"a comparison stays", "延迟 < 2 天", "延迟 < 2 天", inline},
		{"ordinary text untouched", "3月8日前完成 - 覆盖率≥90%", "3月8日前完成 - 覆盖率≥90%", func(s string) string { return item(s, "  ") }},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+SUM(A1)", "'+SUM(A1)"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"  =cmd()", "'  =cmd()"},
		{"\t=cmd()", "'\t=cmd()"},
		{"<!channel> =cmd()", "‹!channel› =cmd()"},
		{"@all", "＠all"},
		{"测试 = 通过", "测试 = 通过"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cell(tt.in); got != tt.want {
			t.Errorf("cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
