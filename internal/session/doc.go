// Package session keeps conversations on disk: one append-only JSONL transcript per session
// under ~/.ganban/projects/<project>/<session-id>.jsonl (GANBAN_HOME moves ~/.ganban), in the
// transcript format of the agent the setup guide is about, so that existing usage and cost
// tools can read it. Every entry is written and fsync'd as it completes: a crash loses at
// most the message in flight, and a tool call is on disk before it runs.
//
// Concurrency: a Writer serialises its appends with a mutex; one process writes a session at
// a time (resuming takes the file over).
package session
