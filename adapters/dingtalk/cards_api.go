package dingtalk

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// The interactive card OpenAPI (互动卡片): a card is created from a
// template imported in the developer console and delivered into a group
// or a person's 1:1 chat with the robot in one call, then updated by
// the outTrackId collabot gave it. Clicks come back over the Stream
// connection (callbackType STREAM), on the card callback topic.

// cardSpace is where a card is delivered: an open space id
// ("dtv1.card//IM_GROUP.<openConversationId>" or
// "dtv1.card//IM_ROBOT.<staff id>") and, in a group, who is @-mentioned.
type cardSpace struct {
	group   bool
	id      string            // the openConversationId or the staff id
	mention map[string]string // staff id → name, @-mentioned in a group
}

func (s cardSpace) openSpaceID() string {
	if s.group {
		return "dtv1.card//IM_GROUP." + s.id
	}
	return "dtv1.card//IM_ROBOT." + s.id
}

// createCard creates a card instance from template with data and
// delivers it into space.
func (o *openAPI) createCard(ctx context.Context, template, outTrackID string, space cardSpace, data map[string]string) error {
	body := map[string]any{
		"cardTemplateId": template, "outTrackId": outTrackID, "callbackType": "STREAM",
		"cardData": map[string]any{"cardParamMap": data}, "openSpaceId": space.openSpaceID(), "userIdType": 1,
	}
	if space.group {
		deliver := map[string]any{"robotCode": o.robotCode}
		if len(space.mention) > 0 {
			deliver["atUserIds"] = space.mention
		}
		body["imGroupOpenSpaceModel"] = map[string]any{"supportForward": true}
		body["imGroupOpenDeliverModel"] = deliver
	} else {
		body["imRobotOpenSpaceModel"] = map[string]any{"supportForward": true}
		body["imRobotOpenDeliverModel"] = map[string]any{"spaceType": "IM_ROBOT", "robotCode": o.robotCode}
	}
	var out struct {
		Result struct {
			DeliverResults []struct {
				SpaceID  string `json:"spaceId"`
				Success  bool   `json:"success"`
				ErrorMsg string `json:"errorMsg"`
			} `json:"deliverResults"`
		} `json:"result"`
	}
	if err := o.call(ctx, "/v1.0/card/instances/createAndDeliver", body, &out); err != nil {
		return fmt.Errorf("dingtalk: card createAndDeliver: %w", throttled(err))
	}
	for _, r := range out.Result.DeliverResults {
		if !r.Success {
			// The card exists but did not reach the chat (the robot is not
			// in the group, the person left): an error kept short.
			return fmt.Errorf("dingtalk: card createAndDeliver: not delivered to %s: %s", r.SpaceID, strings.TrimSpace(r.ErrorMsg))
		}
	}
	return nil
}

// updateCard changes the given variables of a card, the others kept.
func (o *openAPI) updateCard(ctx context.Context, outTrackID string, data map[string]string) error {
	body := map[string]any{"outTrackId": outTrackID, "cardData": map[string]any{"cardParamMap": data},
		"cardUpdateOptions": map[string]any{"updateCardDataByKey": true}}
	if err := o.callAs(ctx, http.MethodPut, "/v1.0/card/instances", body, nil); err != nil {
		return fmt.Errorf("dingtalk: card update: %w", throttled(err))
	}
	return nil
}
