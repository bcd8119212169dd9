// Package agent is the coding agent's loop: send the conversation, stream the answer, run the
// tool calls it asks for under the permission rules, send the results back, until the model
// ends its turn, a limit is reached or the user cancels. Around the loop it keeps the session
// transcript, the cost, the context window (compacting it before it fills) and the guide's
// S20 failure mode in check: an answer cut off at max_tokens is asked again with more room and
// its cut-off tool call is never run.
//
// The agent emits Events; a user interface or print mode consumes them. It never imports
// either.
//
// Concurrency: one Run at a time per Agent. Events are delivered on the caller's Emit
// function from the Run goroutine and from tool goroutines, one at a time (a mutex serialises
// them). Read-only tool calls of one answer run in parallel; others run one by one, in order.
package agent
