package dingtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The interactive card OpenAPI (互动卡片): createAndDeliver and update by
// outTrackId, checked the way DingTalk checks them, and the card
// callback a click sends over the Stream connection.

// Card is an interactive card the robot created, as it stands now.
type Card struct {
	OutTrackID string
	Template   string
	OpenSpace  string            // "dtv1.card//IM_GROUP.<cid>" or "dtv1.card//IM_ROBOT.<staff id>"
	SpaceType  string            // "IM_GROUP" or "IM_ROBOT"
	SpaceID    string            // the group's openConversationId, or the staff id
	AtUsers    map[string]string // staff id → name, @-mentioned in a group
	Data       map[string]string // cardParamMap, updates applied
	Updates    []map[string]string
}

// Buttons are the card's buttons a person sees now: none once it is
// decided ("decided" is "true").
func (c Card) Buttons() []string {
	if c.Data["decided"] == "true" {
		return nil
	}
	var out []string
	for i := 1; ; i++ {
		t, ok := c.Data["btn"+strconv.Itoa(i)+"_text"]
		if !ok {
			return out
		}
		if t != "" {
			out = append(out, t)
		}
	}
}

// cardState is the cards part of the fake's state, guarded by Fake.mu.
type cardState struct {
	cards     []*Card
	responses map[string]string // callback frame id → the data its acknowledgement carried
}

func registerCards(f *Fake, mux *http.ServeMux) {
	f.cardState = &cardState{responses: map[string]string{}}
	mux.HandleFunc("POST /v1.0/card/instances/createAndDeliver", f.createCard)
	mux.HandleFunc("PUT /v1.0/card/instances", f.updateCard)
}

// authorised checks the access token; call with mu held.
func (f *Fake) authorised(w http.ResponseWriter, r *http.Request) bool {
	exp, ok := f.tokens[r.Header.Get("x-acs-dingtalk-access-token")]
	if !ok || !f.now().Before(exp) {
		writeJSON(w, 401, map[string]string{"code": "InvalidAuthentication", "message": "不合法的access_token"})
		return false
	}
	return true
}

func badParam(w http.ResponseWriter, msg string) {
	writeJSON(w, 400, map[string]string{"code": "invalidParameter", "message": msg})
}

type deliverModel struct {
	RobotCode string            `json:"robotCode"`
	SpaceType string            `json:"spaceType"`
	AtUserIDs map[string]string `json:"atUserIds"`
}

func (f *Fake) createCard(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CardTemplateID string `json:"cardTemplateId"`
		OutTrackID     string `json:"outTrackId"`
		CallbackType   string `json:"callbackType"`
		CardData       struct {
			CardParamMap map[string]string `json:"cardParamMap"`
		} `json:"cardData"`
		OpenSpaceID  string        `json:"openSpaceId"`
		GroupSpace   *struct{}     `json:"imGroupOpenSpaceModel"`
		GroupDeliver *deliverModel `json:"imGroupOpenDeliverModel"`
		RobotSpace   *struct{}     `json:"imRobotOpenSpaceModel"`
		RobotDeliver *deliverModel `json:"imRobotOpenDeliverModel"`
	}
	if err := readJSON(r, &in); err != nil {
		badParam(w, "cardParamMap values must be strings: "+err.Error())
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.authorised(w, r) {
		return
	}
	kind, id, _ := strings.Cut(strings.TrimPrefix(in.OpenSpaceID, "dtv1.card//"), ".")
	var deliver *deliverModel
	var err string
	switch {
	case in.CardTemplateID == "" || in.OutTrackID == "":
		err = "cardTemplateId and outTrackId are required"
	case in.CallbackType != "STREAM":
		err = fmt.Sprintf("callbackType %q: clicks would not come over Stream", in.CallbackType)
	case !strings.HasPrefix(in.OpenSpaceID, "dtv1.card//") || id == "":
		err = fmt.Sprintf("openSpaceId %q", in.OpenSpaceID)
	case kind == "IM_GROUP":
		deliver = in.GroupDeliver
		if in.GroupSpace == nil || deliver == nil {
			err = "an IM_GROUP space needs imGroupOpenSpaceModel and imGroupOpenDeliverModel"
		}
	case kind == "IM_ROBOT":
		deliver = in.RobotDeliver
		if in.RobotSpace == nil || deliver == nil || deliver.SpaceType != "IM_ROBOT" {
			err = "an IM_ROBOT space needs imRobotOpenSpaceModel and imRobotOpenDeliverModel of spaceType IM_ROBOT"
		}
	default:
		err = fmt.Sprintf("unknown space type %q", kind)
	}
	if err == "" && deliver.RobotCode != f.RobotCode {
		err = fmt.Sprintf("unknown robotCode %q", deliver.RobotCode)
	}
	if err != "" {
		badParam(w, err)
		return
	}
	if c := f.card(in.OutTrackID); c == nil {
		f.cards = append(f.cards, &Card{OutTrackID: in.OutTrackID, Template: in.CardTemplateID, OpenSpace: in.OpenSpaceID,
			SpaceType: kind, SpaceID: id, AtUsers: deliver.AtUserIDs, Data: maps.Clone(in.CardData.CardParamMap)})
	}
	f.touch()
	writeJSON(w, 200, map[string]any{"success": true, "result": map[string]any{"outTrackId": in.OutTrackID,
		"deliverResults": []map[string]any{{"spaceType": kind, "spaceId": id, "success": true}}}})
}

func (f *Fake) updateCard(w http.ResponseWriter, r *http.Request) {
	var in struct {
		OutTrackID string `json:"outTrackId"`
		CardData   struct {
			CardParamMap map[string]string `json:"cardParamMap"`
		} `json:"cardData"`
		Options struct {
			ByKey bool `json:"updateCardDataByKey"`
		} `json:"cardUpdateOptions"`
	}
	if err := readJSON(r, &in); err != nil {
		badParam(w, err.Error())
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.authorised(w, r) {
		return
	}
	c := f.card(in.OutTrackID)
	if c == nil {
		writeJSON(w, 404, map[string]string{"code": "card.notFound", "message": "no card " + in.OutTrackID})
		return
	}
	if !in.Options.ByKey {
		c.Data = map[string]string{}
	}
	maps.Copy(c.Data, in.CardData.CardParamMap)
	c.Updates = append(c.Updates, maps.Clone(in.CardData.CardParamMap))
	f.touch()
	writeJSON(w, 200, map[string]any{"success": true, "result": true})
}

// card finds a card by outTrackId; call with mu held.
func (f *Fake) card(id string) *Card {
	for _, c := range f.cards {
		if c.OutTrackID == id {
			return c
		}
	}
	return nil
}

func (f *Fake) noteResponse(frame, data string) {
	if data != "" {
		f.responses[frame] = data
	}
}

// Cards are the cards the robot created, as they stand now.
func (v *View) Cards() []Card {
	out := make([]Card, len(v.f.cards))
	for i, c := range v.f.cards {
		out[i] = *c
		out[i].Data = maps.Clone(c.Data)
		out[i].Updates = slices.Clone(c.Updates)
	}
	return out
}

// Response is the data a callback frame's acknowledgement carried: for a
// card click, the card response ({"response": {...}}).
func (v *View) Response(frame string) string { return v.f.responses[frame] }

// Cards are the cards the robot created, as they stand now.
func (f *Fake) Cards() []Card {
	var out []Card
	f.Read(func(v *View) { out = v.Cards() })
	return out
}

// Press builds the callback frame of staffID pressing the card's button
// labelled label (by the start of its text), as the card shows it now:
// the button's callback parameters are its command and label, as the
// shipped templates (configs/dingtalk-cards/) define them. A button the
// card no longer shows cannot be pressed.
func (f *Fake) Press(c Card, staffID, label string) (Frame, error) {
	if c.Data["decided"] == "true" {
		return Frame{}, fmt.Errorf("dingtest: card %s is decided and shows no buttons", c.OutTrackID)
	}
	for i := 1; ; i++ {
		n := "btn" + strconv.Itoa(i)
		t, ok := c.Data[n+"_text"]
		if !ok {
			return Frame{}, fmt.Errorf("dingtest: card %s shows no button %q (it shows %v)", c.OutTrackID, label, c.Buttons())
		}
		if t == "" || !strings.HasPrefix(t, label) {
			continue
		}
		content, _ := json.Marshal(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{n},
			"params": map[string]string{"command": c.Data[n+"_command"], "label": t}}})
		return f.callback(TopicCard, map[string]any{"content": string(content), "outTrackId": c.OutTrackID,
			"spaceType": c.SpaceType, "spaceId": c.SpaceID, "type": "actionCallback", "userId": staffID,
			"userIdType": 1, "corpId": f.CorpID}), nil
	}
}

// FormField is one input of a form card, as its "fields" variable lists
// them (the template's loop draws one input per entry).
type FormField struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Label    string   `json:"label"`
	Required bool     `json:"required"`
	Value    []string `json:"value"`
	Error    string   `json:"error"`
	Options  []struct {
		Value string `json:"value"`
		Text  string `json:"text"`
	} `json:"options"`
}

// Fields are a form card's inputs as it shows them now, nil on a card
// that is not a form.
func (c Card) Fields() []FormField {
	if c.Data["form"] != "true" {
		return nil
	}
	var out []FormField
	_ = json.Unmarshal([]byte(c.Data["fields"]), &out)
	return out
}

// Fill builds the callback frame of staffID filling in a form card and
// pressing its submit button: each value (a string, or a []string for a
// multiple choice or a person picker) goes into the input of that field
// key, as DingTalk sends a card's form inputs in the callback's params
// under the input's name; inputs left alone send what they show
// (prefilled values). A key the card has no input for, or a decided
// card, is an error.
func (f *Fake) Fill(c Card, staffID string, values map[string]any) (Frame, error) {
	if c.Data["decided"] == "true" {
		return Frame{}, fmt.Errorf("dingtest: card %s is decided and shows no inputs", c.OutTrackID)
	}
	fields := c.Fields()
	if fields == nil {
		return Frame{}, fmt.Errorf("dingtest: card %s is not a form", c.OutTrackID)
	}
	params := map[string]any{"action": "submit", "command": c.Data["command"], "label": c.Data["submit_text"]}
	for _, fld := range fields {
		switch len(fld.Value) {
		case 0:
		case 1:
			params[fld.Name] = fld.Value[0]
		default:
			params[fld.Name] = fld.Value
		}
	}
	for k, v := range values {
		i := slices.IndexFunc(fields, func(x FormField) bool { return x.Key == k })
		if i < 0 {
			return Frame{}, fmt.Errorf("dingtest: card %s has no input %q", c.OutTrackID, k)
		}
		params[fields[i].Name] = v
	}
	content, _ := json.Marshal(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{"submit"}, "params": params}})
	return f.callback(TopicCard, map[string]any{"content": string(content), "outTrackId": c.OutTrackID,
		"spaceType": c.SpaceType, "spaceId": c.SpaceID, "type": "actionCallback", "userId": staffID,
		"userIdType": 1, "corpId": f.CorpID}), nil
}
