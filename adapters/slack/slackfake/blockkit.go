package slackfake

import (
	"fmt"
	"unicode/utf8"
)

// CheckBlocks checks a message's blocks against Block Kit's documented
// limits (https://api.slack.com/reference/block-kit/blocks), the way
// Slack refuses a message with invalid_blocks, and returns the problems
// found, none for valid blocks. It takes blocks as JSON decodes them.
func CheckBlocks(blocks []map[string]any) []string {
	var p []string
	bad := func(i int, format string, args ...any) {
		p = append(p, fmt.Sprintf("block %d: ", i)+fmt.Sprintf(format, args...))
	}
	if len(blocks) > 50 {
		p = append(p, fmt.Sprintf("%d blocks (max 50)", len(blocks)))
	}
	actionIDs := map[string]bool{}
	for i, b := range blocks {
		switch b["type"] {
		case "header":
			if n := textLen(b["text"]); n == 0 || n > 150 {
				bad(i, "header text of %d characters", n)
			}
		case "section":
			fields, _ := b["fields"].([]any)
			n := textLen(b["text"])
			if n == 0 && len(fields) == 0 {
				bad(i, "section without text or fields")
			}
			if n > 3000 {
				bad(i, "section text of %d characters", n)
			}
			if len(fields) > 10 {
				bad(i, "%d fields", len(fields))
			}
			for _, f := range fields {
				if n := textLen(f); n == 0 || n > 2000 {
					bad(i, "field of %d characters", n)
				}
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				bad(i, "%d elements", len(els))
			}
			for _, e := range els {
				el, _ := e.(map[string]any)
				id, _ := el["action_id"].(string)
				value, _ := el["value"].(string)
				if id == "" || len(id) > 255 || actionIDs[id] {
					bad(i, "action_id %q empty, long or repeated", id)
				}
				actionIDs[id] = true
				if n := textLen(el["text"]); n == 0 || n > 75 {
					bad(i, "button text of %d characters", n)
				}
				if utf8.RuneCountInString(value) > 2000 {
					bad(i, "button value of %d characters", len(value))
				}
				if s, _ := el["style"].(string); s != "" && s != "primary" && s != "danger" {
					bad(i, "button style %q", s)
				}
			}
		case "context":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 10 {
				bad(i, "context of %d elements", len(els))
			}
		case "divider":
		default:
			bad(i, "unexpected type %v", b["type"])
		}
	}
	return p
}

// CheckModal checks a modal view, as JSON decodes it, against the limits
// of views.open, and returns the problems found.
func CheckModal(v map[string]any) []string {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if v["type"] != "modal" {
		bad("type %v", v["type"])
	}
	for _, k := range []string{"title", "submit", "close"} {
		if n := textLen(v[k]); n == 0 || n > 24 {
			bad("%s of %d characters", k, n)
		}
	}
	if meta, _ := v["private_metadata"].(string); len(meta) > 3000 {
		bad("private_metadata of %d characters", len(meta))
	}
	blocks, _ := v["blocks"].([]any)
	if len(blocks) == 0 || len(blocks) > 100 {
		bad("%d blocks", len(blocks))
	}
	ids := map[string]bool{}
	for i, x := range blocks {
		b, _ := x.(map[string]any)
		id, _ := b["block_id"].(string)
		if id != "" && ids[id] {
			bad("block %d: repeated block_id %q", i, id)
		}
		ids[id] = true
		switch b["type"] {
		case "context":
		case "input":
			if n := textLen(b["label"]); n == 0 || n > 2000 {
				bad("block %d: label of %d characters", i, n)
			}
			if n := textLen(b["hint"]); n > 2000 {
				bad("block %d: hint of %d characters", i, n)
			}
			el, _ := b["element"].(map[string]any)
			if n := textLen(el["placeholder"]); n > 150 {
				bad("block %d: placeholder of %d characters", i, n)
			}
			switch el["type"] {
			case "plain_text_input", "datepicker", "users_select", "multi_users_select":
			case "static_select", "multi_static_select":
				opts, _ := el["options"].([]any)
				if len(opts) == 0 || len(opts) > 100 {
					bad("block %d: %d options", i, len(opts))
				}
				for _, o := range opts {
					om, _ := o.(map[string]any)
					if n := textLen(om["text"]); n == 0 || n > 75 {
						bad("block %d: option text of %d characters", i, n)
					}
					if s, _ := om["value"].(string); s == "" || len(s) > 150 {
						bad("block %d: option value %q", i, s)
					}
				}
			default:
				bad("block %d: element %v", i, el["type"])
			}
		default:
			bad("block %d: type %v", i, b["type"])
		}
	}
	return p
}

// textLen is the length in characters of a text object.
func textLen(v any) int {
	m, _ := v.(map[string]any)
	s, _ := m["text"].(string)
	return utf8.RuneCountInString(s)
}
