package tui

import (
	"context"

	"ganban/internal/agent"
	"ganban/internal/bedrock"
)

// Messages that reach the event loop from the bridge and from commands.
type (
	// agentMsg is one agent event; consecutive text or thinking deltas arrive merged.
	agentMsg struct{ e agent.Event }
	// askMsg is a permission question; the dialog answers on reply.
	askMsg struct {
		ctx   context.Context
		q     agent.Question
		reply chan agent.Answer
	}
	// noticeMsg is a Bedrock client notice: a retry, a credential refresh, caching off.
	noticeMsg struct{ n bedrock.Notice }
	// refreshOutputMsg is output of the awsAuthRefresh command (S8).
	refreshOutputMsg struct{ text string }
	// runDoneMsg ends a prompt's run; it follows every event of the run.
	runDoneMsg struct{ res agent.Result }
	// outputMsg adds a block of command output to the conversation.
	outputMsg struct {
		title, text string
		isErr       bool
	}
	// tickMsg animates spinners and countdowns while something is in progress.
	tickMsg struct{}
)

// answer resolves a question once: the reply channel holds one answer, so a second answer
// (a cancelled run's, a late key press) is dropped.
func (a askMsg) answer(ans agent.Answer) {
	select {
	case a.reply <- ans:
	default:
	}
}
