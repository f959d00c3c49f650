package engine_test

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	_ "modernc.org/sqlite" // the driver, to read the index tables directly
)

// indexChecker wraps the store and, after every committed Apply, checks
// the store's read indexes against the documents they index: the
// participants rows of each collaboration are its Participations, its
// group column is its group, its department rows are its Departments, and
// every person's "my collaborations" and "my tasks" (and every group's
// and department's collaborations) read through the indexes are what
// filtering every decoded document gives. A save path that
// forgot the index fails here at the event that made it stale.
type indexChecker struct {
	bot.Store
	t           testing.TB
	db          *sql.DB
	ws          bot.Workspace
	people      []bot.PersonID
	departments []string
	checks      int
}

func (h *harness) checkIndexes() *indexChecker {
	h.t.Helper()
	db, err := sql.Open("sqlite", h.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	c := &indexChecker{Store: h.eng.Store, t: h.t, db: db, ws: h.ws}
	for _, p := range h.cfg.Directory().People {
		c.people = append(c.people, p.ID)
	}
	for _, d := range h.cfg.Directory().Departments {
		c.departments = append(c.departments, d.Name)
	}
	h.eng.Store = c
	return c
}

func (c *indexChecker) Apply(ctx context.Context, ws bot.Workspace, event string, fn func(bot.Tx) error) error {
	err := c.Store.Apply(ctx, ws, event, fn)
	if err == nil && ws == c.ws {
		c.check(ctx)
	}
	return err
}

func (c *indexChecker) check(ctx context.Context) {
	c.t.Helper()
	c.checks++
	// The documents, as saved.
	docs := map[bot.CollabID]*bot.Collaboration{}
	groups := map[bot.CollabID]string{}
	rows, err := c.db.QueryContext(ctx, `SELECT id, grp, body FROM collaborations WHERE workspace = ?`, c.ws)
	if err != nil {
		c.t.Fatal(err)
	}
	for rows.Next() {
		var id bot.CollabID
		var grp, body string
		if err := rows.Scan(&id, &grp, &body); err != nil {
			c.t.Fatal(err)
		}
		doc := new(bot.Collaboration)
		if err := jsonUnmarshal(body, doc); err != nil {
			c.t.Fatal(err)
		}
		docs[id], groups[id] = doc, grp
	}
	rows.Close()
	// The index rows.
	index := map[bot.CollabID][]bot.Participation{}
	rows, err = c.db.QueryContext(ctx, `SELECT collab, person, role FROM participants WHERE workspace = ?`, c.ws)
	if err != nil {
		c.t.Fatal(err)
	}
	for rows.Next() {
		var id bot.CollabID
		var p bot.Participation
		if err := rows.Scan(&id, &p.Person, &p.Role); err != nil {
			c.t.Fatal(err)
		}
		index[id] = append(index[id], p)
	}
	rows.Close()
	for id, doc := range docs {
		got := index[id]
		slices.SortFunc(got, func(a, b bot.Participation) int {
			return cmp.Or(cmp.Compare(a.Person, b.Person), cmp.Compare(a.Role, b.Role))
		})
		if want := doc.Participations(); !slices.Equal(got, want) {
			c.t.Errorf("check %d: participants of %s are stale:\n index %v\n saved %v", c.checks, id, got, want)
		}
		if groups[id] != doc.Group {
			c.t.Errorf("check %d: group column of %s is %q, the document says %q", c.checks, id, groups[id], doc.Group)
		}
		delete(index, id)
	}
	for id := range index {
		c.t.Errorf("check %d: participants of %s, which does not exist", c.checks, id)
	}
	depts := map[bot.CollabID][]bot.DepartmentPart{}
	rows, err = c.db.QueryContext(ctx, `SELECT collab, department, role FROM collab_departments WHERE workspace = ?`, c.ws)
	if err != nil {
		c.t.Fatal(err)
	}
	for rows.Next() {
		var id bot.CollabID
		var d bot.DepartmentPart
		if err := rows.Scan(&id, &d.Department, &d.Role); err != nil {
			c.t.Fatal(err)
		}
		depts[id] = append(depts[id], d)
	}
	rows.Close()
	for id, doc := range docs {
		got := depts[id]
		slices.SortFunc(got, func(a, b bot.DepartmentPart) int {
			return cmp.Or(cmp.Compare(a.Department, b.Department), cmp.Compare(a.Role, b.Role))
		})
		if want := doc.Departments(); !slices.Equal(got, want) {
			c.t.Errorf("check %d: departments of %s are stale:\n index %v\n saved %v", c.checks, id, got, want)
		}
	}
	// What the filters answer through the index, against the documents.
	ids := func(list []*bot.Collaboration) []bot.CollabID {
		var out []bot.CollabID
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	brute := func(keep func(*bot.Collaboration) bool) []bot.CollabID {
		var out []bot.CollabID
		for _, doc := range docs {
			if keep(doc) {
				out = append(out, doc.ID)
			}
		}
		slices.Sort(out)
		slices.Reverse(out) // newest first
		return out
	}
	err = c.Store.View(ctx, c.ws, func(tx bot.Tx) error {
		for _, p := range c.people {
			mine, err := tx.Collaborations(ctx, bot.Filter{Person: p})
			if err != nil {
				return err
			}
			if want := brute(func(x *bot.Collaboration) bool { return slices.Contains(x.Participants(), p) }); !slices.Equal(ids(mine), want) {
				c.t.Errorf("check %d: collaborations of %s = %v, want %v", c.checks, p, ids(mine), want)
			}
			tasks, err := tx.Collaborations(ctx, bot.Filter{Person: p, OpenTasks: true})
			if err != nil {
				return err
			}
			if want := brute(func(x *bot.Collaboration) bool { return len(x.OpenTasksOf(p)) > 0 }); !slices.Equal(ids(tasks), want) {
				c.t.Errorf("check %d: collaborations with open tasks of %s = %v, want %v", c.checks, p, ids(tasks), want)
			}
		}
		for _, d := range c.departments {
			list, err := tx.Collaborations(ctx, bot.Filter{Departments: []string{d}})
			if err != nil {
				return err
			}
			if want := brute(func(x *bot.Collaboration) bool {
				return slices.ContainsFunc(x.Departments(), func(p bot.DepartmentPart) bool { return p.Department == d })
			}); !slices.Equal(ids(list), want) {
				c.t.Errorf("check %d: collaborations of department %s = %v, want %v", c.checks, d, ids(list), want)
			}
		}
		for _, g := range groups {
			if g == "" {
				continue
			}
			list, err := tx.Collaborations(ctx, bot.Filter{Group: g})
			if err != nil {
				return err
			}
			if want := brute(func(x *bot.Collaboration) bool { return x.Group == g }); !slices.Equal(ids(list), want) {
				c.t.Errorf("check %d: collaborations of group %s = %v, want %v", c.checks, g, ids(list), want)
			}
		}
		return nil
	})
	if err != nil {
		c.t.Fatal(err)
	}
}

// TestParticipantsIndexFollowsEverySave plays two collaborations through
// every change of who takes part — filing, review and edit, a contact
// replaced, a department dropped, tasks added, reassigned, cancelled and
// done, a meeting with people invited, the coordinator handed over, the
// acceptance and the archive — and checks the indexes after each event.
func TestParticipantsIndexFollowsEverySave(t *testing.T) {
	h := newHarness(t)
	check := h.checkIndexes()
	script := ":as amy\n发起协作\n" + pastedRequest + "确认\n" +
		":as alice\n初审 COL-1 驳回 目标不清\n" +
		":as amy\n\"\"\"\n修改 COL-1\n协作背景与目标: Q4 上线,通过率 100%\n\"\"\"\n确认\n" +
		":as alice\n初审 COL-1 通过\n" +
		":as ben\n确认 COL-1 承接\n确认\n" +
		":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 不归我管\n替代方案: 问 frank\n\"\"\"\n确认\n" +
		":as amy\n对接人 COL-1 财务部 @frank\n" + // a contact replaced
		":as frank\n\"\"\"\n确认 COL-1 无法承接\n原因: 无预算\n替代方案: 市场部出\n\"\"\"\n确认\n" +
		":as amy\n移除部门 COL-1 财务部\n" + // a department dropped
		"\"\"\"\n任务 新建 COL-1\n任务名称: 准备测试环境\n直接责任人: @amy\n截止时间: 2026-12-10\n交付标准: 环境可用\n\"\"\"\n确认\n" +
		"\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n直接责任人: @ben\n协同责任人: @emma\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n" +
		"\"\"\"\n任务 新建 COL-1\n任务名称: 多余的任务\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 无\n\"\"\"\n确认\n" +
		"任务 T-3 取消 需求调整\n" + // a task cancelled: ben keeps T-2 open
		"任务 T-2 转交 @david\n" + // reassigned: ben has no open task left
		"\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @amy, @ben\n\"\"\"\n确认\n" +
		"会议 M-1 加人 @fiona\n" + // someone invited
		":as david\n任务 T-2 完成\n" +
		":as amy\n任务 T-1 完成\n" +
		"\"\"\"\n提交成果 COL-1\n成果交付清单: 报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检\n\"\"\"\n确认\n" +
		"验收 COL-1 通过\n" +
		"\"\"\"\n复盘 COL-1\n协作亮点: 快\n待改进点: 环境\n\"\"\"\n确认\n归档 COL-1\n" +
		// A second collaboration, handed to another coordinator.
		"发起协作\n" + pastedRequest + "确认\n" +
		":as alice\n初审 COL-2 通过\n" +
		":as amy\n总协调人 COL-2 @mike\n"
	out := h.chat(script)
	mustContain(t, out, "已归档", "✅ 财务部 的对接人改为", "✅ 已从 COL-1 移除财务部", "已取消 T-3", "T-2 转交给",
		"已邀请", "COL-2 的总协调人改为")
	if c := h.collab(2); c.Coordinator != "mike" {
		t.Fatalf("COL-2 coordinator = %s\n%s", c.Coordinator, out)
	}
	if check.checks < 30 {
		t.Errorf("only %d events checked: the script did not run", check.checks)
	}
	// Spot checks of what the index answers, in words people read.
	mustContain(t, h.chat(":as david\n我的协作\n"), "COL-1")
	mustContain(t, h.chat(":as ben\n我的任务\n"), "你没有未完成的任务")
	mustContain(t, h.chat(":as mike\n我的协作\n"), "COL-2")
	if out := h.chat(":as frank\n我的协作\n"); strings.Contains(out, "COL-1") {
		// frank was the contact of 财务部, which was dropped.
		t.Errorf("frank still sees COL-1:\n%s", out)
	}
}

func jsonUnmarshal(body string, v any) error {
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

// TestReadCommandsDoNotWaitForTheWriter: while a write transaction is
// open, `list`, `tasks`, `show` and `help` are answered from the read
// pool; a read command from someone new, who must be registered, goes to
// the writer and registers them; a redelivered read is not answered twice.
func TestReadCommandsDoNotWaitForTheWriter(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	ctx := context.Background()
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- h.store.Apply(ctx, h.ws, "", func(bot.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	deadline, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ask := func(who, text, event string) []bot.Reply {
		t.Helper()
		out, err := h.eng.Handle(deadline, bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "dm-" + who, Direct: true,
			From: bot.Identity{Platform: bot.Console, ID: who}, Text: text, EventID: event})
		if err != nil {
			t.Fatalf("%s while the writer is busy: %v", text, err)
		}
		return out
	}
	for _, q := range []struct{ who, text, want string }{
		{"amy", "我的协作", "COL-1"}, {"ben", "我的任务", "T-1"}, {"ben", "查看 COL-1", "COL-1"}, {"ben", "帮助", "COL-n"},
	} {
		out := ask(q.who, q.text, "")
		if len(out) == 0 || !strings.Contains(out[0].Title+out[0].Body, q.want) {
			t.Errorf("%s: %+v, want %q", q.text, out, q.want)
		}
	}
	if first := ask("amy", "我的协作", "EvRead1"); len(first) == 0 {
		t.Error("read event not answered")
	}
	if again := ask("amy", "我的协作", "EvRead1"); len(again) != 0 {
		t.Errorf("redelivered read answered again: %+v", again)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Someone new: the read transaction cannot register them, the writer does.
	out, err := h.eng.Handle(ctx, bot.Message{Workspace: h.ws, Platform: bot.Slack, Channel: "D9", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0NEW"}, Name: "Nia", Text: "list", EventID: "EvNew"})
	if err != nil || len(out) == 0 {
		t.Fatalf("newcomer's list: %v %v", out, err)
	}
	// Redelivered, it would now be a read (the person is known): still
	// not answered twice.
	again, err := h.eng.Handle(ctx, bot.Message{Workspace: h.ws, Platform: bot.Slack, Channel: "D9", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0NEW"}, Name: "Nia", Text: "list", EventID: "EvNew"})
	if err != nil || len(again) != 0 {
		t.Errorf("the newcomer's list redelivered: %v %v", again, err)
	}
	// And after a restart, which forgets what this process saw, the
	// store still knows the event.
	h.restart()
	again, err = h.eng.Handle(ctx, bot.Message{Workspace: h.ws, Platform: bot.Slack, Channel: "D9", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0NEW"}, Name: "Nia", Text: "list", EventID: "EvNew"})
	if err != nil || len(again) != 0 {
		t.Errorf("the newcomer's list redelivered after a restart: %v %v", again, err)
	}
	h.store.View(ctx, h.ws, func(tx bot.Tx) error {
		if _, ok, err := tx.PersonByIdentity(ctx, bot.Identity{Platform: bot.Slack, ID: "U0NEW"}); !ok || err != nil {
			t.Errorf("the newcomer was not registered: %v", err)
		}
		return nil
	})
}
