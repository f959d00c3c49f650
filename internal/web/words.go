package web

import (
	"fmt"

	"github.com/collabot/collabot/bot"
)

// words are everything the board says, in both languages, by key: the
// pages' catalogue. Status words come from bot's labels, the timeline's
// sentences from the record, so the board reads as the chat does.
var words = map[string]bot.Text{
	"app":         {ZH: "协作看板", EN: "Collaboration board"},
	"nav.mine":    {ZH: "我的", EN: "Mine"},
	"nav.collabs": {ZH: "全部协作", EN: "Collaborations"},
	"nav.lang":    {ZH: "English", EN: "中文"},
	"nav.depts":   {ZH: "部门", EN: "Departments"},

	"dept.title":     {ZH: "部门协作数据", EN: "Department figures"},
	"dept.days":      {ZH: "近 %d 天", EN: "last %d days"},
	"dept.about":     {ZH: "与之前同样长的一段时间对比。对接确认按发出时间计,任务按截止时间计;按时确认指在对接确认时限内答复。", EN: "Compared with the period of the same length before. Acknowledgements count by when they were asked, tasks by when they fell due; on time means answered within the acknowledgement timer."},
	"dept.forbidden": {ZH: "部门数据只对部门负责人和分管领导开放。", EN: "Department figures are for department heads and leadership."},
	"dept.name":      {ZH: "部门", EN: "Department"},
	"readonly":       {ZH: "只读看板:在聊天中发送命令来操作。", EN: "Read-only board: act by sending commands in chat."},
	"link.expires":   {ZH: "本链接有效期至 %s", EN: "This link works until %s"},
	"none":           {ZH: "(无)", EN: "(none)"},
	"mine.title":     {ZH: "我的待办", EN: "What waits for me"},
	"mine.waiting":   {ZH: "等我处理", EN: "Waiting for me"},
	"mine.nothing":   {ZH: "现在没有等你处理的事项。", EN: "Nothing is waiting for you."},
	"mine.tasks":     {ZH: "我的任务", EN: "My tasks"},
	"mine.notasks":   {ZH: "你没有未完成的任务。", EN: "You have no open tasks."},
	"mine.collabs":   {ZH: "我参与的协作", EN: "My collaborations"},
	"mine.nocollabs": {ZH: "你还没有参与任何协作。", EN: "You are not part of any collaboration yet."},
	"mine.in_chat":   {ZH: "在聊天中发送", EN: "In chat, send"},

	"wait.review":     {ZH: "待你初审", EN: "waits for your review"},
	"wait.ack":        {ZH: "待%s对接确认", EN: "waits for %s to acknowledge"},
	"wait.answer":     {ZH: "%s需补充信息:“%s”", EN: "%s asks: “%s”"},
	"wait.declined":   {ZH: "%s无法承接:%s", EN: "%s declined: %s"},
	"wait.minutes":    {ZH: "%s 的会议纪要待你确认", EN: "the minutes of %s wait for your confirmation"},
	"wait.due":        {ZH: "%s「%s」申请改期到 %s", EN: "%s “%s” asks to move to %s"},
	"wait.acceptance": {ZH: "成果待你验收", EN: "the deliverables wait for your decision"},
	"wait.rejected":   {ZH: "初审被退回,请修改后重新提交", EN: "was sent back in review; edit and resubmit"},

	"list.title":                       {ZH: "全部协作", EN: "Collaborations"},
	"list.count":                       {ZH: "共 %d 个", EN: "%d shown"},
	"list.empty":                       {ZH: "没有符合条件的协作。", EN: "No collaboration matches."},
	"list.search":                      {ZH: "搜索主题或编号", EN: "Search topic or id"},
	"list.status":                      {ZH: "状态", EN: "Status"},
	"list.dept":                        {ZH: "部门", EN: "Department"},
	"list.person":                      {ZH: "人员", EN: "Person"},
	"list.any":                         {ZH: "全部", EN: "Any"},
	"list.open":                        {ZH: "未结束", EN: "Open"},
	"list.overdue":                     {ZH: "有延期任务", EN: "Overdue tasks"},
	"list.help":                        {ZH: "需协助/阻塞", EN: "Needs help / blocked"},
	"list.filter":                      {ZH: "筛选", EN: "Filter"},
	"list.clear":                       {ZH: "清除", EN: "Clear"},
	"list.tasks":                       {ZH: "%d/%d 项任务完成", EN: "%d/%d tasks done"},
	"list.pending":                     {ZH: "%d 个部门待确认", EN: "%d to acknowledge"},
	"list.too_long":                    {ZH: "搜索条件过长,已忽略。", EN: "The search was too long and was ignored."},
	"col.due":                          {ZH: "期望完成时间", EN: "Expected completion"},
	"col.coord":                        {ZH: "总协调人", EN: "Coordinator"},
	"col.requester":                    {ZH: "需求发起人", EN: "Requester"},
	"col.reqdept":                      {ZH: "需求发起部门", EN: "Requesting department"},
	"col.depts":                        {ZH: "需协助部门", EN: "Assisting departments"},
	"col.goal":                         {ZH: "协作背景与目标", EN: "Background and goal"},
	"col.reqs":                         {ZH: "具体需求描述", EN: "Requirements"},
	"col.deliv":                        {ZH: "交付物", EN: "Deliverables"},
	"col.standard":                     {ZH: "交付标准", EN: "Acceptance standard"},
	"col.scope":                        {ZH: "涉及场景/系统", EN: "Scenarios / systems"},
	"col.cadence":                      {ZH: "协同方式与频次", EN: "Mode and cadence"},
	"col.riskplan":                     {ZH: "风险提示与应对预案", EN: "Risks and mitigations"},
	"col.created":                      {ZH: "发起时间", EN: "Filed"},
	"col.activated":                    {ZH: "全部承接", EN: "All accepted"},
	"col.basic":                        {ZH: "基本信息", EN: "Basic information"},
	"col.record":                       {ZH: "跨部门沟通记录表", EN: "Cross-department collaboration record"},
	"col.download":                     {ZH: "下载记录", EN: "Download the record"},
	"col.acks":                         {ZH: "对接确认", EN: "Acknowledgements"},
	"col.contact":                      {ZH: "对接人", EN: "Contact"},
	"col.asked":                        {ZH: "发出", EN: "Asked"},
	"col.answered":                     {ZH: "答复", EN: "Answered"},
	"col.latency":                      {ZH: "用时 %s(工作时间)", EN: "took %s (business hours)"},
	"col.waited":                       {ZH: "已等待 %s(工作时间)", EN: "waiting %s (business hours)"},
	"col.gantt":                        {ZH: "任务甘特图", EN: "Tasks against due dates"},
	"col.gantt_desc":                   {ZH: "任务与截止时间甘特图", EN: "Gantt chart of tasks against their due dates"},
	"col.today":                        {ZH: "今天", EN: "today"},
	"col.tasks":                        {ZH: "任务(工作分解结构)", EN: "Tasks (work breakdown)"},
	"col.notasks":                      {ZH: "(暂无任务)", EN: "(no tasks yet)"},
	"col.owner":                        {ZH: "负责人", EN: "Owner"},
	"col.task_due":                     {ZH: "截止", EN: "Due"},
	"col.risks":                        {ZH: "问题与风险", EN: "Issues and risks"},
	"col.norisks":                      {ZH: "(暂无风险)", EN: "(no risks)"},
	"col.respond_by":                   {ZH: "响应期限", EN: "respond by"},
	"col.meetings":                     {ZH: "会议", EN: "Meetings"},
	"col.nomeetings":                   {ZH: "(暂无会议)", EN: "(no meetings)"},
	"col.agenda":                       {ZH: "议程已发", EN: "agenda ready"},
	"col.noagenda":                     {ZH: "未写议程", EN: "no agenda yet"},
	"col.minutes.none":                 {ZH: "未写纪要", EN: "no minutes yet"},
	"col.minutes.pending_confirmation": {ZH: "纪要待确认(%d 人未确认)", EN: "minutes await confirmation (%d left)"},
	"col.minutes.confirmed":            {ZH: "纪要已确认", EN: "minutes confirmed"},
	"col.cancelled":                    {ZH: "已取消", EN: "cancelled"},
	"col.timeline":                     {ZH: "操作记录", EN: "Timeline"},
	"col.delivery":                     {ZH: "成果交付与验收", EN: "Delivery and acceptance"},
	"col.retro":                        {ZH: "复盘总结", EN: "Retrospective"},
	"col.legend":                       {ZH: "🔴 延期 · 🟡 需协助/阻塞 · 🟢 正常 · ✅ 已完成", EN: "🔴 overdue · 🟡 needs help / blocked · 🟢 on track · ✅ done"},

	"refused.title":     {ZH: "链接无法使用", EN: "This link cannot be used"},
	"refused.expired":   {ZH: "这个看板链接已过期。", EN: "This board link has expired."},
	"refused.invalid":   {ZH: "这个看板链接无效:它可能被改动过,或复制不完整。", EN: "This board link is not valid: it may have been changed or copied incompletely."},
	"refused.workspace": {ZH: "这个看板链接属于另一个工作区。", EN: "This board link belongs to another workspace."},
	"refused.none":      {ZH: "请从聊天中打开你的看板链接。", EN: "Open your board link from chat."},
	"refused.how":       {ZH: "在与机器人的私聊中发送 “看板 网页”,即可收到新的链接。", EN: "Send “board web” to the bot in a direct message to get a new link."},
	"refused.noscript":  {ZH: "打开看板需要启用 JavaScript。", EN: "Opening the board needs JavaScript."},
	"open.title":        {ZH: "正在打开看板…", EN: "Opening the board…"},
	"notfound.title":    {ZH: "找不到", EN: "Not found"},
	"notfound.collab":   {ZH: "找不到 %s,或你无权查看。你能看到的协作在“全部协作”中。", EN: "%s was not found, or you may not see it. The collaborations you may see are under “Collaborations”."},
	"notfound.page":     {ZH: "没有这个页面。", EN: "There is no such page."},
	"toolong.title":     {ZH: "请求过长", EN: "Request too long"},
	"toolong.body":      {ZH: "这个地址太长了,请返回看板重新筛选。", EN: "That address is too long; go back to the board and filter again."},
	"error.title":       {ZH: "出错了", EN: "Something went wrong"},
	"error.body":        {ZH: "看板暂时无法显示,请稍后再试。", EN: "The board cannot be shown right now; try again shortly."},
	"off.title":         {ZH: "网页看板未开启", EN: "The web board is switched off"},
	"off.body":          {ZH: "管理员尚未设置 COLLABOT_WEB_SECRET,网页看板不可用。请在聊天中使用 “看板 COL-n”。", EN: "The operator has not set COLLABOT_WEB_SECRET, so the web board is unavailable. Use “board COL-n” in chat."},
	"back":              {ZH: "返回我的看板", EN: "Back to my board"},
}

// catalogue is the words in one language, for templates: {{.W.T "key"}}.
type catalogue struct{ lang bot.Lang }

// T is the word for key; a missing key shows itself, which a test catches.
func (c catalogue) T(key string) string {
	if t, ok := words[key]; ok {
		return t.In(c.lang)
	}
	return key
}

// F formats the word for key with args.
func (c catalogue) F(key string, args ...any) string { return fmt.Sprintf(c.T(key), args...) }

// Lang is the language's tag for <html lang>.
func (c catalogue) Lang() string {
	if c.lang == bot.English {
		return "en"
	}
	return "zh-CN"
}
