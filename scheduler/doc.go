// Package scheduler chases every timer of the process: acknowledgements,
// agendas, minutes and their confirmation, daily progress, due and overdue
// tasks, risk responses, acceptance, the retrospective and the weekly
// summary.
//
// It asks one pure question — what is due at t? ([Due]) — of the store's
// state, the business calendar and the policy, and writes the answer
// through the store's reminder ledger and outbox in one transaction
// ([Scheduler.Tick]). The ledger key (timer, entity and recipient, due
// slot) is what makes a reminder exactly-once: asking again for the same t,
// for any later t, after a restart or from a second replica finds it
// recorded and sends nothing. Cron only decides when to ask.
//
// A scan does not read every open collaboration. Evaluating one also
// tells when its answer may next change (the earliest deadline, time of
// day or start of working hours after t that Due compared t with), and the
// store keeps that instant in a next-due index ([bot.NextDueIndex]); a
// save makes the collaboration due at once. A scan reads the index, decodes
// only what is due or changed, and writes what it found in bounded batches
// ([Scheduler.Batch]) after reading outside the writer; a minute with
// nothing due costs one indexed query. Timers about several collaborations
// (a person's daily request, the weekly digest, the calendar warning) are
// due at their time in every collaboration they read, so they see them all
// when they fire. A firing held by a snooze is looked at every minute, as
// the person may lift the snooze; one outside working hours when they
// begin. The index is rebuilt (everything due once) when the policy or the
// calendar changes.
//
// The scheduler never talks to a platform: the dispatcher delivers what it
// puts in the outbox.
package scheduler
