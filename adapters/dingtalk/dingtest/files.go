package dingtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// Files sent to the robot: a file or picture message carries a download
// code, which the robot trades for a short-lived download link through
// the robot message file download OpenAPI
// (POST /v1.0/robot/messageFiles/download).

// sharedFile is a file someone sent, by its download code.
type sharedFile struct{ name string }

func registerFiles(f *Fake, mux *http.ServeMux) {
	mux.HandleFunc("POST /v1.0/robot/messageFiles/download", f.downloadFile)
}

// FileMessage builds the callback frame of from sending a file (msgtype
// file) in c; size is not in DingTalk's callback, so none is given.
func (f *Fake) FileMessage(c Chat, from User, name string) Frame {
	code := f.shareFile(name)
	return f.content(c, from, "file", map[string]any{"downloadCode": code, "fileName": name,
		"fileId": "file-" + code, "spaceId": "space-1"})
}

// PictureMessage builds the callback frame of from sending a picture
// (msgtype picture), which has no name.
func (f *Fake) PictureMessage(c Chat, from User) Frame {
	code := f.shareFile("")
	return f.content(c, from, "picture", map[string]any{"downloadCode": code, "pictureDownloadCode": "pic-" + code})
}

// FileDownloads is how many download codes were resolved.
func (f *Fake) FileDownloads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.downloads
}

func (f *Fake) shareFile(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = map[string]sharedFile{}
	}
	code := f.nextID("dlcode-")
	f.files[code] = sharedFile{name: name}
	return code
}

// content is a robot callback of a message that is not text.
func (f *Fake) content(c Chat, from User, msgtype string, content map[string]any) Frame {
	fr := f.Message(c, from, "")
	d := decode(fr.Data)
	delete(d, "text")
	d["msgtype"], d["content"] = msgtype, content
	fr.Data = encode(d)
	return fr
}

func (f *Fake) downloadFile(w http.ResponseWriter, r *http.Request) {
	var in struct {
		DownloadCode string `json:"downloadCode"`
		RobotCode    string `json:"robotCode"`
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
	file, ok := f.files[in.DownloadCode]
	if in.RobotCode != f.RobotCode || !ok {
		badParam(w, "downloadCode or robotCode is wrong")
		return
	}
	f.downloads++
	name := file.name
	if name == "" {
		name = "image.png"
	}
	expires := f.now().Add(time.Hour).Unix()
	writeJSON(w, 200, map[string]any{"downloadUrl": f.URL + "/files/" + url.PathEscape(in.DownloadCode) + "/" +
		url.PathEscape(name) + "?expires=" + time.Unix(expires, 0).UTC().Format("20060102T150405Z")})
}

func decode(raw string) map[string]any {
	var d map[string]any
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		panic("dingtest: " + err.Error())
	}
	return d
}

func encode(d map[string]any) string {
	raw, err := json.Marshal(d)
	if err != nil {
		panic("dingtest: " + err.Error())
	}
	return string(raw)
}
