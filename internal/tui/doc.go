// Package tui is ganban's interactive terminal UI, built on Bubble Tea, Lip Gloss and Glamour.
//
// The UI only renders and asks: it holds no agent logic. It owns three kinds of goroutines and
// stops all of them before Run returns:
//
//   - the Bubble Tea event loop, which alone reads and changes the Model (Update and View);
//   - one agent goroutine per prompt, running Agent.Run with a context that Esc cancels;
//   - the bridge's pump, which carries what the agent, the Bedrock client and the credential
//     refresh report (events, notices, permission questions, awsAuthRefresh output) into the
//     event loop as messages, in the order they happened.
//
// Delivery: the agent never blocks on the screen. Its Emit callback appends to the bridge's
// queue and returns; the pump drains the queue, merges consecutive text deltas into one
// message and sends it, then waits one frame before sending more text, so a fast stream costs
// at most one render per frame and keystrokes never queue behind hundreds of deltas.
//
// Permission questions block the agent goroutine, never the UI: the question travels to the
// event loop with a reply channel of capacity one; the dialog answers it, and the first answer
// wins (a cancelled run answers "no" by itself, and a late answer is dropped).
package tui
