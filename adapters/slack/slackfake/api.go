package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// api serves the Web API methods under /api/.
func (f *Server) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		form = url.Values{"json": {string(body)}}
	}
	var blocks []map[string]any
	var problems []string
	if raw := form.Get("blocks"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
			problems = []string{"blocks are not JSON: " + err.Error()}
		} else {
			problems = CheckBlocks(blocks)
		}
	}
	f.mu.Lock()
	if d := f.latency[method]; d > 0 {
		// Answer late, after doing the work: the lock is released first.
		defer func() { time.Sleep(d) }()
	}
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{method, form})
	defer f.notify()
	now := time.Now()
	channel := form.Get("channel")
	if channel != "" && now.Before(f.held[channel]) {
		f.early = append(f.early, Early{Method: method, Channel: channel, At: now, HeldUntil: f.held[channel]})
	}
	secs := f.throttle[method]
	if channel != "" && now.Before(f.storm) {
		secs = max(secs, f.stormAfter)
	}
	if secs > 0 {
		delete(f.throttle, method)
		f.throttled++
		if channel != "" {
			if until := now.Add(time.Duration(secs) * time.Second); until.After(f.held[channel]) {
				f.held[channel] = until
			}
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if f.overLimit(w, method, channel, now) {
		return
	}
	if code := f.failures[method]; code != "" {
		delete(f.failures, method)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
		return
	}
	out := map[string]any{"ok": true}
	switch method {
	case "auth.test":
		out["user_id"], out["bot_id"], out["team_id"], out["user"] = BotUserID, BotID, f.team, "collabot"
	case "apps.connections.open":
		if r.Header.Get("Authorization") != "Bearer "+AppToken {
			out = map[string]any{"ok": false, "error": "invalid_auth"}
			break
		}
		out["url"] = "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
		p := f.message(method, form, blocks)
		if len(problems) > 0 {
			f.t.Errorf("%s: invalid blocks: %v", method, problems)
			out = map[string]any{"ok": false, "error": "invalid_blocks"}
			break
		}
		f.posts = append(f.posts, p)
		out["channel"], out["ts"], out["message_ts"] = p.Channel, p.TS, p.TS
	case "conversations.history":
		out = f.history(form, "")
	case "conversations.replies":
		out = f.history(form, form.Get("ts"))
	case "conversations.open":
		out["channel"] = map[string]any{"id": "D" + strings.TrimPrefix(form.Get("users"), "U")}
	case "views.open":
		var req struct {
			TriggerID string         `json:"trigger_id"`
			View      map[string]any `json:"view"`
		}
		_ = json.Unmarshal(body, &req)
		if problems := CheckModal(req.View); len(problems) > 0 {
			f.t.Errorf("views.open: invalid view: %v", problems)
			out = map[string]any{"ok": false, "error": "invalid_arguments"}
			break
		}
		f.views = append(f.views, OpenedView{req.TriggerID, req.View})
		out["view"] = map[string]any{"id": "V" + strconv.Itoa(len(f.views))}
	case "views.publish":
		out = f.publish(body)
	case "files.getUploadURLExternal":
		f.seq++
		id := fmt.Sprintf("F%06d", f.seq)
		f.uploads[id] = &Upload{ID: id, Name: form.Get("filename")}
		out["upload_url"], out["file_id"] = f.srv.URL+"/upload/"+id, id
	case "files.completeUploadExternal":
		var files []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		_ = json.Unmarshal([]byte(form.Get("files")), &files)
		var shared []map[string]any
		for _, fl := range files {
			u := f.uploads[fl.ID]
			if u == nil {
				out = map[string]any{"ok": false, "error": "file_not_found"}
				break
			}
			u.Channel, u.Thread, u.Comment, u.Title = form.Get("channel_id"), form.Get("thread_ts"), form.Get("initial_comment"), fl.Title
			f.shared = append(f.shared, *u)
			shared = append(shared, map[string]any{"id": fl.ID, "title": fl.Title})
		}
		if out["ok"] == true {
			out["files"] = shared
		}
	case "users.info":
		id := form.Get("user")
		name := f.users[id]
		if name == "" {
			name = "Guest " + id
		}
		out["user"] = map[string]any{"id": id, "name": strings.ToLower(id), "real_name": name,
			"profile": map[string]any{"display_name": name, "real_name": name}}
	default:
		out = map[string]any{"ok": false, "error": "unknown_method"}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// upload takes the bytes of a file at its upload URL.
func (f *Server) upload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	file, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(file)
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.uploads[id]
	if u == nil {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	u.Data = data
	_, _ = io.WriteString(w, "OK - "+strconv.Itoa(len(data)))
}

// message makes the record of a posted message; call with mu held.
func (f *Server) message(method string, form url.Values, blocks []map[string]any) Posted {
	f.seq++
	p := Posted{Method: method, Channel: form.Get("channel"), User: form.Get("user"), Thread: form.Get("thread_ts"),
		Text: form.Get("text"), TS: f.nextTS(), Blocks: blocks}
	if method == "chat.postMessage" {
		p.Metadata = parseMetadata(form.Get("metadata"))
	}
	if method == "chat.update" {
		p.TS = form.Get("ts")
	}
	return p
}

// nextTS is a message timestamp as Slack writes them (seconds and
// microseconds of the wall clock), unique and increasing, so that
// conversations.history's oldest means what it means on Slack. Call with
// mu held.
func (f *Server) nextTS() string {
	us := max(time.Now().UnixMicro(), f.lastTS+1)
	f.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// hook serves response_urls.
func (f *Server) hook(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text            string           `json:"text"`
		Blocks          []map[string]any `json:"blocks"`
		ResponseType    string           `json:"response_type"`
		ReplaceOriginal bool             `json:"replace_original"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	if problems := CheckBlocks(msg.Blocks); len(problems) > 0 {
		f.t.Errorf("response_url: invalid blocks: %v", problems)
		http.Error(w, "invalid_blocks", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.posts = append(f.posts, Posted{Method: "response_url", Channel: strings.TrimPrefix(r.URL.Path, "/hooks/"),
		Text: msg.Text, Blocks: msg.Blocks, ResponseType: msg.ResponseType, Replace: msg.ReplaceOriginal})
	f.notify()
	_, _ = io.WriteString(w, "ok")
}
