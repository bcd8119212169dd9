// Package permission answers one question for one tool call: allow it, ask the user, or deny
// it. It reads the same permission rules and modes as Claude Code (permissions.allow, .ask and
// .deny in ~/.claude/settings.json, .claude/settings.json and .claude/settings.local.json,
// --allowedTools, --permission-mode), and knows nothing of the UI or the agent loop: the
// caller builds a [Request], calls [Checker.Check] and acts on the [Decision].
//
// # Precedence
//
// Deny rules beat ask rules, which beat allow rules, in every mode: a deny rule denies even in
// bypassPermissions, and an ask rule asks even in acceptEdits or bypassPermissions. Plan mode's
// refusal to change anything comes right after deny rules. Only when no deny or ask rule
// matches do the mode and the allow rules decide. Allow rules added for the session with
// Checker.AllowForSession rank with the configured ones.
//
// # Rules
//
// A rule is Tool or Tool(specifier); see [ParseRule]. A rule without a specifier (or with the
// specifier "*") matches every call of its tool. Edit rules cover every tool that changes files
// (Write, MultiEdit, NotebookEdit and redirections in Bash), Read rules every tool that reads
// them (Glob, Grep, LS, NotebookRead). Path specifiers are gitignore-style patterns:
//
//	//abs/path   an absolute path
//	~/path       relative to Config.Home
//	/path        relative to Config.WorkDir (Claude Code reads it relative to the settings
//	             file's project; ganban uses the working directory for every source, so a
//	             rule means the same thing whichever file it came from)
//	./path       relative to Config.WorkDir
//	path         relative to Config.WorkDir; without a slash inside it, it matches that
//	             name at any depth, as in .gitignore (Read(.env) covers sub/.env)
//
// A pattern that matches a directory also matches everything below it, "**" matches any number
// of directories, and a trailing slash matches directories only.
//
// # Bash
//
// A Bash specifier is an exact command ("npm run build"), a legacy prefix ("npm run test:*":
// "npm run test" alone or followed by a space, so not "npm run testx"), or a pattern with '*'
// wildcards ("git diff *", where a trailing " *" may also match nothing).
//
// The command line is parsed as bash (mvdan.cc/sh); one that does not parse is never allowed
// without asking. Every simple command in it, including those in pipelines, lists, background
// jobs, subshells, command and process substitutions, here-documents, "bash -c" strings and
// eval, must be allowed on its own; a function definition or a command whose name is only
// known when it runs ($CMD) always asks. Commands are matched by their words' values, so
// quoting ('npm' run "test") changes nothing, and assignments in front (FOO=1 npm run test)
// are ignored unless they set a variable that changes what runs (PATH, LD_PRELOAD, GIT_*, ...).
// Wrappers (time, nohup, nice, timeout, stdbuf, env, command, exec, xargs, find -exec, watch,
// flock) are judged by the command they run; sudo and doas also need a rule naming them.
// Deny and ask rules match every one of these levels, and the whole line as well. An allow
// rule without wildcards that names the whole line exactly allows it as written.
//
// Redirections to files (> file, >> file, &> file) and tee's files are writes, judged like an
// Edit of that file even when the command is allowed: in default mode they need an Edit
// allow rule, in acceptEdits they pass inside the working directories, and outside them they
// ask. In acceptEdits mode mkdir, touch, mv and cp run without a rule when all their files
// are inside the working directories. After a cd, relative file names are unknown and ask.
// Read rules are not applied to the files a command reads (cat .env): deny the command too.
//
// # Paths outside the working directories
//
// Changing a file outside Config.WorkDir and Config.AdditionalDirs always asks, in every mode
// (bypassPermissions too) and whatever the allow rules say: only adding the directory to the
// working directories allows it in advance (Decision.Hint says so); deny rules and plan mode
// still refuse first. Reading there asks, in every mode but bypassPermissions, unless an allow
// rule names that path: a rule for the whole tool (a bare Read) covers the working
// directories only. Symbolic links are followed: a path counts as inside only if the file it
// reaches is, allow rules must match that file, and deny and ask rules match the path as given
// or as resolved.
//
// # Modes
//
// default reads inside the working directories and asks for the rest; acceptEdits also edits
// there; plan denies edits, fetches and every command that is not on a short list of read-only
// ones (those still need an allow rule); dontAsk denies whatever default would ask about;
// bypassPermissions allows everything no deny or ask rule stops, except changes outside the
// working directories.
//
// # Concurrency
//
// A [Checker] is safe for concurrent use. Its configuration is fixed by [New]; the mode and the
// rules added with [Checker.AllowForSession] sit behind one read-write mutex. Check takes a
// snapshot under the read lock and does its work (parsing, path resolution) without holding it,
// so a slow check never blocks SetMode or AllowForSession, and a check sees either all of a
// concurrent change or none of it.
package permission
