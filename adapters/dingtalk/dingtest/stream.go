package dingtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const (
	// TopicRobot is the robot message callback.
	TopicRobot = "/v1.0/im/bot/messages/get"
	// TopicCard is the interactive card callback.
	TopicCard = "/v1.0/card/instances/callback"
)

// Frame is a data frame the gateway sends.
type Frame struct {
	SpecVersion string            `json:"specVersion"`
	Type        string            `json:"type"`
	Headers     map[string]string `json:"headers"`
	Data        string            `json:"data"`
	session     string            // the robot message's session webhook id
}

// ID is the frame's messageId header, which its acknowledgement carries.
func (fr Frame) ID() string { return fr.Headers["messageId"] }

// Session is the id of a robot message's session webhook: the replies
// posted to it carry it in Message.Session.
func (fr Frame) Session() string { return fr.session }

type pending struct {
	frame  Frame
	sentAt time.Time // wall time: redelivery is the gateway's, not the test's clock
}

// stream is one websocket connection of the gateway.
type stream struct {
	mu   sync.Mutex // one writer at a time, as gorilla requires
	ws   *websocket.Conn
	once sync.Once
}

func (s *stream) send(v any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return s.ws.WriteJSON(v)
}

func (s *stream) close() { s.once.Do(func() { _ = s.ws.Close() }) }

// open is the connection endpoint: credentials and subscriptions in, a
// websocket address and a one-time ticket out.
func (f *Fake) open(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID      string `json:"clientId"`
		ClientSecret  string `json:"clientSecret"`
		Subscriptions []struct {
			Type, Topic string
		} `json:"subscriptions"`
	}
	if err := readJSON(r, &in); err != nil {
		writeJSON(w, 400, map[string]string{"code": "invalidParameter", "message": err.Error()})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.ClientID != f.ClientID || in.ClientSecret != f.ClientSecret {
		writeJSON(w, 401, map[string]string{"code": "invalidClientSecret", "message": "clientId or clientSecret is wrong"})
		return
	}
	f.subs = f.subs[:0]
	for _, s := range in.Subscriptions {
		f.subs = append(f.subs, s.Type+" "+s.Topic)
	}
	ticket := f.nextID("ticket-")
	f.tickets[ticket] = true
	writeJSON(w, 200, map[string]string{"endpoint": "ws" + strings.TrimPrefix(f.URL, "http") + "/stream", "ticket": ticket})
}

var upgrader = websocket.Upgrader{}

// stream serves one websocket: it announces the connection with the
// system frames CONNECTED, REGISTERED and a ping, delivers the frames left
// unacknowledged on an earlier connection, then reads acknowledgements.
func (f *Fake) stream(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	f.mu.Lock()
	ok := f.tickets[ticket]
	delete(f.tickets, ticket)
	f.mu.Unlock()
	if !ok {
		writeJSON(w, 401, map[string]string{"code": "invalidTicket", "message": "unknown or used ticket"})
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s := &stream{ws: ws}
	for _, topic := range []string{"CONNECTED", "REGISTERED", "ping"} {
		_ = s.send(f.system(topic))
	}
	f.mu.Lock()
	old := f.conn
	f.conn = s
	f.connects++
	var again []Frame
	for _, p := range f.pending {
		p.sentAt = time.Now()
		again = append(again, p.frame)
	}
	f.deliveries += len(again)
	f.touch()
	f.mu.Unlock()
	if old != nil {
		old.close()
	}
	for _, fr := range again {
		_ = s.send(fr)
	}
	defer func() {
		s.close()
		f.mu.Lock()
		if f.conn == s {
			f.conn = nil
		}
		f.touch()
		f.mu.Unlock()
	}()
	for {
		var ack struct {
			Code    int               `json:"code"`
			Headers map[string]string `json:"headers"`
			Message string            `json:"message"`
			Data    string            `json:"data"`
		}
		if err := ws.ReadJSON(&ack); err != nil {
			return
		}
		id := ack.Headers["messageId"]
		f.mu.Lock()
		if _, callback := f.pending[id]; callback || f.acks[id] > 0 {
			if ack.Code == http.StatusOK {
				f.acks[id]++
				f.noteResponse(id, ack.Data) // cards.go
				delete(f.pending, id)
			} else {
				f.nacks[id]++
			}
			f.touch()
		}
		f.mu.Unlock()
	}
}

func (f *Fake) system(topic string) Frame {
	f.mu.Lock()
	id := f.nextID("sys-")
	f.mu.Unlock()
	return Frame{SpecVersion: "1.0", Type: "SYSTEM", Data: "{}",
		Headers: map[string]string{"topic": topic, "messageId": id, "contentType": "application/json",
			"time": strconv.FormatInt(time.Now().UnixMilli(), 10)}}
}

// Deliver sends a callback frame and keeps it until it is acknowledged;
// calling it again with the same frame is a redelivery.
func (f *Fake) Deliver(fr Frame) {
	f.mu.Lock()
	f.pending[fr.ID()] = &pending{frame: fr, sentAt: time.Now()}
	f.deliveries++
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		_ = c.send(fr)
	}
}

// redeliver resends frames not acknowledged within d, as DingTalk does.
func (f *Fake) redeliver(d time.Duration) {
	t := time.NewTicker(d / 4)
	defer t.Stop()
	for {
		select {
		case <-f.quit:
			return
		case <-t.C:
		}
		f.mu.Lock()
		var again []Frame
		for _, p := range f.pending {
			if time.Since(p.sentAt) >= d {
				p.sentAt = time.Now()
				again = append(again, p.frame)
			}
		}
		f.deliveries += len(again)
		c := f.conn
		f.mu.Unlock()
		for _, fr := range again {
			if c != nil {
				_ = c.send(fr)
			}
		}
	}
}

// Drop cuts the current connection without a word, like a network
// failure; the client must notice and reconnect.
func (f *Fake) Drop() {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		_ = c.ws.UnderlyingConn().Close()
	}
}

// Disconnect asks the client to reconnect with a system disconnect frame.
func (f *Fake) Disconnect() {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		_ = c.send(f.system("disconnect"))
	}
}

// Chat is a conversation the robot is in.
type Chat struct {
	ID    string // conversationId (openConversationId for a group)
	Group bool
	Title string
}

// GroupChat is a group conversation.
func GroupChat(id, title string) Chat { return Chat{ID: id, Group: true, Title: title} }

// DirectChat is a person's 1:1 conversation with the robot.
func DirectChat(staffID string) Chat { return Chat{ID: "cid-dm-" + staffID} }

// User is a member of the organisation.
type User struct{ StaffID, Nick string }

// Message builds the robot callback frame for from saying text in c. In a
// group the text starts with the robot's @-mention, and mentions are the
// people @-mentioned in text, in order.
func (f *Fake) Message(c Chat, from User, text string, mentions ...User) Frame {
	f.mu.Lock()
	msgID := f.nextID("msg-")
	session := f.nextID("session-")
	f.sessions[session] = c.ID
	expires := f.now().Add(90 * time.Minute)
	f.mu.Unlock()
	type atUser struct {
		DingtalkID string `json:"dingtalkId"`
		StaffID    string `json:"staffId,omitempty"`
	}
	d := map[string]any{
		"conversationId": c.ID, "conversationType": "1", "msgId": msgID, "msgtype": "text",
		"senderNick": from.Nick, "senderStaffId": from.StaffID, "senderId": "$:LWCP_v1:$" + from.StaffID,
		"chatbotUserId": f.BotID, "robotCode": f.RobotCode, "createAt": f.now().UnixMilli(),
		"chatbotCorpId": f.CorpID, "senderCorpId": f.CorpID,
		"sessionWebhook":            f.URL + "/robot/sendBySession?session=" + session,
		"sessionWebhookExpiredTime": expires.UnixMilli(),
		"text":                      map[string]string{"content": text},
	}
	if c.Group {
		ats := []atUser{{DingtalkID: f.BotID}}
		for _, m := range mentions {
			ats = append(ats, atUser{DingtalkID: "$:LWCP_v1:$" + m.StaffID, StaffID: m.StaffID})
		}
		d["conversationType"], d["conversationTitle"], d["isInAtList"] = "2", c.Title, true
		d["atUsers"] = ats
		d["text"] = map[string]string{"content": "@collabot " + text}
	}
	fr := f.callback(TopicRobot, d)
	fr.session = session
	return fr
}

// CardClick builds an interactive card callback: staffID clicked a button
// whose action parameters are params.
func (f *Fake) CardClick(staffID, spaceType, spaceID string, params map[string]string) Frame {
	content, _ := json.Marshal(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{"click"}, "params": params}})
	f.mu.Lock()
	track := f.nextID("track-")
	f.mu.Unlock()
	return f.callback(TopicCard, map[string]any{"content": string(content), "outTrackId": track, "spaceType": spaceType,
		"spaceId": spaceID, "type": "actionCallback", "userId": staffID, "userIdType": 1, "corpId": f.CorpID})
}

func (f *Fake) callback(topic string, data any) Frame {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(fmt.Sprintf("dingtest: %v", err))
	}
	f.mu.Lock()
	id := f.nextID("frame-")
	f.mu.Unlock()
	return Frame{SpecVersion: "1.0", Type: "CALLBACK", Data: string(raw),
		Headers: map[string]string{"topic": topic, "messageId": id, "contentType": "application/json",
			"time": strconv.FormatInt(time.Now().UnixMilli(), 10)}}
}

// Click is what DingTalk does when someone clicks an action card button
// whose link is dtmd://dingtalkclient/sendMessage?content=...: the content
// is sent as that person's message in the chat. It returns the frame.
func (f *Fake) Click(c Chat, from User, b Button) (Frame, error) {
	if c.Group {
		// The sent text would carry no @-mention, and DingTalk gives a
		// robot only the group messages that mention it.
		return Frame{}, fmt.Errorf("dingtest: a sendMessage click in a group does not reach the robot")
	}
	const scheme = "dtmd://dingtalkclient/sendMessage?content="
	if !strings.HasPrefix(b.URL, scheme) {
		return Frame{}, fmt.Errorf("dingtest: button %q links to %q, not a sendMessage link", b.Title, b.URL)
	}
	content, err := url.QueryUnescape(strings.TrimPrefix(b.URL, scheme))
	if err != nil {
		return Frame{}, err
	}
	fr := f.Message(c, from, content)
	f.Deliver(fr)
	return fr, nil
}
