package slackfake

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Posted is a message as Slack received it: by chat.postMessage,
// chat.postEphemeral, chat.update (TS is the updated message's) or a
// response_url (Method "response_url", Channel the hook's name).
type Posted struct {
	Method, Channel, User, TS, Thread, Text string
	Blocks                                  []map[string]any
	ResponseType                            string    // of a response_url post
	Replace                                 bool      // replace_original, of a response_url post
	Metadata                                *Metadata // chat.postMessage's metadata, if any
}

// Render is the texts of the message's blocks, one a line.
func (p Posted) Render() string { return Render(p.Blocks) }

// Button finds a button by (part of) its label.
func (p Posted) Button(label string) (actionID, value, text string, ok bool) {
	for _, b := range p.Blocks {
		if b["type"] != "actions" {
			continue
		}
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			t, _ := el["text"].(map[string]any)
			txt, _ := t["text"].(string)
			if strings.Contains(txt, label) {
				id, _ := el["action_id"].(string)
				v, _ := el["value"].(string)
				return id, v, txt, true
			}
		}
	}
	return "", "", "", false
}

// HasButtons tells whether the message has an actions block.
func (p Posted) HasButtons() bool {
	for _, b := range p.Blocks {
		if b["type"] == "actions" {
			return true
		}
	}
	return false
}

// OpenedView is a modal opened by views.open.
type OpenedView struct {
	Trigger string
	View    map[string]any
}

// Blocks are the modal's blocks.
func (v OpenedView) Blocks() []map[string]any {
	var out []map[string]any
	list, _ := v.View["blocks"].([]any)
	for _, b := range list {
		if m, ok := b.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Render is the texts of the modal's blocks, one a line.
func (v OpenedView) Render() string { return Render(v.Blocks()) }

// InputType is the element type of the input block blockID
// ("plain_text_input", "multi_static_select"…), "" if there is none.
func (v OpenedView) InputType(blockID string) string {
	el := v.input(blockID)
	s, _ := el["type"].(string)
	return s
}

// input is the element of input block blockID, nil if there is none.
func (v OpenedView) input(blockID string) map[string]any {
	for _, b := range v.Blocks() {
		if b["type"] == "input" && b["block_id"] == blockID {
			el, _ := b["element"].(map[string]any)
			return el
		}
	}
	return nil
}

// Render flattens blocks to their texts, one a line, for assertions.
func Render(blocks []map[string]any) string {
	// Through JSON, so blocks built of other types read the same.
	b, _ := json.Marshal(blocks)
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				texts = append(texts, s)
			}
			// Sorted, so the same blocks render the same text every time.
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k])
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var generic any
	_ = json.Unmarshal(b, &generic)
	walk(generic)
	return strings.Join(texts, "\n")
}
