// Package tools holds the tools the model can call: Read, Write, Edit, MultiEdit, Bash, Glob,
// Grep, LS, TodoWrite and WebFetch. Their names, input fields and semantics follow Claude
// Code's built-in tools, because Claude models are trained on those and use them best when
// nothing about them is new.
//
// Each tool lives in its own file: its input struct (whose json and description tags are the
// JSON schema the model sees), its description, its Target (what a call touches, computed
// before it runs, for permission checks and display) and its Run. Input from the model is
// never trusted: a missing field, a wrong type or an impossible value comes back to the model
// as an error result that says what to fix, and no input makes a tool panic.
//
// Concurrency: a Tool value is stateless and safe for concurrent use. Session state lives in
// Env (files read, shell state, todo list), whose parts are each safe for concurrent use.
// Read-only tools may run in parallel; the caller serialises the others.
package tools
