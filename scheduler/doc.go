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
// The scheduler never talks to a platform: the dispatcher delivers what it
// puts in the outbox.
package scheduler
