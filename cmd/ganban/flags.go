package main

import (
	"os"

	"github.com/spf13/cobra"

	"ganban/internal/bootstrap"
)

// resumePick is what -r without a value means: choose a session. It shows in --help, and no
// session ID (a UUID) can start with it.
const resumePick = "pick"

// sessionFlags are the flags of a session, interactive or print mode, named as in the agent
// the setup guide is about so that scripts written for it work.
type sessionFlags struct {
	print, verbose, cont                          bool
	outputFormat, inputFormat                     string
	resume, sessionID                             string
	maxTurns                                      int
	maxBudget                                     float64
	model, fallbackModel, permissionMode          string
	allowedTools, disallowedTools, addDirs, setts []string
	systemPrompt, appendSystemPrompt              string
}

func (f *sessionFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVarP(&f.print, "print", "p", false, "print mode: run the prompt, print the answer and exit")
	fl.StringVar(&f.outputFormat, "output-format", "text", "print mode output: text, json or stream-json")
	fl.StringVar(&f.inputFormat, "input-format", "text", "print mode input: text, or stream-json user messages on stdin")
	fl.BoolVar(&f.verbose, "verbose", false, "show the session, model and tool calls on stderr")
	fl.BoolVarP(&f.cont, "continue", "c", false, "continue the most recent session in this directory")
	fl.StringVarP(&f.resume, "resume", "r", "", "resume a session by ID or ID prefix (without an ID: choose one)")
	fl.Lookup("resume").NoOptDefVal = resumePick
	fl.StringVar(&f.sessionID, "session-id", "", "use this ID for a new session")
	fl.IntVar(&f.maxTurns, "max-turns", 0, "stop after this many model turns (print mode)")
	fl.Float64Var(&f.maxBudget, "max-budget-usd", 0, "stop once the session has cost this many US dollars")
	fl.StringVar(&f.model, "model", "", "model: an alias (sonnet, opus, haiku), an inference profile ID or an ARN")
	fl.StringVar(&f.fallbackModel, "fallback-model", "", "model to switch to when the main one is unavailable or overloaded")
	fl.StringArrayVar(&f.allowedTools, "allowedTools", nil, `tool rules to allow without asking, several after one flag, e.g. Edit "Bash(npm run test:*)"`)
	fl.StringArrayVar(&f.disallowedTools, "disallowedTools", nil, "tool rules to deny, several after one flag; a tool denied outright is not offered")
	fl.StringVar(&f.permissionMode, "permission-mode", "", "default, acceptEdits, plan, dontAsk or bypassPermissions")
	fl.StringVar(&f.appendSystemPrompt, "append-system-prompt", "", "text added to the system prompt")
	fl.StringVar(&f.systemPrompt, "system-prompt", "", "replace ganban's instructions in the system prompt")
	fl.StringArrayVar(&f.addDirs, "add-dir", nil, "another directory the agent may work in (repeatable)")
	fl.StringArrayVar(&f.setts, "settings", nil, "a settings file (or inline JSON) above the project and user files (repeatable)")
}

// boot is the bootstrap options of a session started in the current directory.
func (f *sessionFlags) boot() (bootstrap.Options, error) {
	wd, err := os.Getwd()
	if err != nil {
		return bootstrap.Options{}, err
	}
	home, _ := os.UserHomeDir()
	return bootstrap.Options{WorkDir: wd, Home: home, Environ: os.Environ(), SettingsFiles: f.setts, Model: f.model, FallbackModel: f.fallbackModel,
		PermissionMode: f.permissionMode, AllowedTools: f.allowedTools, DisallowedTools: f.disallowedTools, AddDirs: f.addDirs}, nil
}
