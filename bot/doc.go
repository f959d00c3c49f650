// Package bot is collabot's platform-free core: the domain of a
// cross-department collaboration (请求、对接确认、会议、任务、进度、风险、交付、
// 验收、复盘), its lifecycle rules as pure methods that take the actor and
// "now" as inputs, the organisation directory, and the small interfaces the
// rest of the program implements (Store, Clock).
//
// It imports nothing outside the standard library, so every rule can be
// tested without a database, a clock or a chat platform.
package bot
