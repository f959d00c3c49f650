package bot

import "errors"

// ErrOverloaded is returned by Store.Apply for an inbound event it could
// not record in time: the writer's queue was full, or the event's context
// (an adapter's acknowledgement budget) ran out before its turn came.
// Nothing was recorded; the adapter refuses the event in a way its
// platform delivers again (HTTP 503, no Socket Mode ack, a DingTalk frame
// left unacknowledged) instead of acknowledging what it did not record.
var ErrOverloaded = errors.New("store: overloaded, event not recorded")
