package engine

// Spoken exposes the Chinese form of a canonical command to the tests.
var Spoken = (*Engine).spoken
