// Package settings reads the Claude Code settings files that ganban shares with Claude Code,
// merges them by precedence and answers two questions: what is the effective value of a
// setting or environment variable, and which file set it.
//
// Files, highest precedence first:
//
//	managed   /etc/claude-code/managed-settings.json (Linux),
//	          /Library/Application Support/ClaudeCode/managed-settings.json (macOS);
//	          GANBAN_MANAGED_SETTINGS overrides the path; the *.json fragments of
//	          managed-settings.d beside it apply over it, alphabetically later ones first
//	flag      --settings FILE, in reverse command-line order (a later flag wins)
//	local     <project root>/.claude/settings.local.json
//	project   <project root>/.claude/settings.json
//	user      ~/.claude/settings.json (CLAUDE_CONFIG_DIR replaces ~/.claude)
//
// The project root is the root of the git repository containing the working directory, or
// the working directory itself outside a repository. A missing file is fine; a file that is
// not strict JSON, not an object, or has a known key of the wrong type is an error naming the
// file, line and column: a broken settings file is never silently skipped, because skipping
// it would drop a user's credentials, model or deny rules without a word.
//
// Merging: scalar keys (model, awsAuthRefresh, ...) and each variable of the env block come
// from the highest-precedence file that has them; permission rules and
// additionalDirectories are the union of all files. An empty string counts as unset, but it
// still takes its place in the precedence: "AWS_PROFILE": "" in a project file neutralises
// the user file's value and the shell's export alike.
//
// Concurrency: a *Settings is immutable after Load and safe for concurrent use. Apply is the
// only function that touches the process environment; AddPermissionRule is the only one that
// writes a file.
package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Scope names where a value came from.
type Scope string

// Scopes, highest precedence first; ScopeEnvironment is the process environment, below every
// file for the variables an env block sets.
const (
	ScopeManaged     Scope = "managed"
	ScopeFlag        Scope = "flag"
	ScopeLocal       Scope = "local"
	ScopeProject     Scope = "project"
	ScopeUser        Scope = "user"
	ScopeEnvironment Scope = "environment"
)

// Environment variables ganban reads to find the files. They are read from Options.Environ,
// never from the settings files themselves (a file cannot move the files).
const (
	// EnvConfigDir replaces ~/.claude, as in Claude Code.
	EnvConfigDir = "CLAUDE_CONFIG_DIR"
	// EnvManagedSettings replaces the managed settings path; it exists so tests and
	// unusual installations never depend on /etc.
	EnvManagedSettings = "GANBAN_MANAGED_SETTINGS"
)

// Source says where a value came from: a file (Scope and Path) or the process environment
// (ScopeEnvironment, no Path). The zero Source means "nowhere": the value is unset.
type Source struct {
	Scope Scope  `json:"scope"`
	Path  string `json:"path,omitempty"`
}

// IsZero reports whether s names no source.
func (s Source) IsZero() bool { return s.Scope == "" }

// String is "user /home/me/.claude/settings.json", "environment" or "" for the zero Source.
func (s Source) String() string {
	if s.Path == "" {
		return string(s.Scope)
	}
	return string(s.Scope) + " " + s.Path
}

// Sourced is a string value together with the place it came from.
type Sourced struct {
	Value  string `json:"value"`
	Source Source `json:"source"`
}

// Options says where to look. Home and Environ are explicit so that tests are hermetic and so
// that nothing in this package reads the real process environment.
type Options struct {
	// WorkDir is the working directory; empty means os.Getwd.
	WorkDir string
	// Home is the user's home directory; empty means HOME from Environ. With neither (and
	// no CLAUDE_CONFIG_DIR) there is no user settings file.
	Home string
	// SettingsFiles are the --settings arguments in command-line order. An argument that
	// starts with "{" is inline JSON, as Claude Code accepts; anything else is a path
	// (relative to WorkDir). Unlike the other files, a named file must exist.
	SettingsFiles []string
	// Environ is the process environment as os.Environ returns it; nil means empty. When a
	// name appears twice the last one wins, as in os/exec.
	Environ []string
	// SkipProject leaves out the project's files (.claude/settings.json and
	// settings.local.json): the person did not trust the folder (see package trust).
	SkipProject bool
}

// File is one settings file that Load considered.
type File struct {
	Scope Scope
	// Path is the file's path, or "--settings #N" for inline JSON given on the command line.
	Path string
	// Exists is false when there was no file; Content is then nil.
	Exists bool
	// Content is the parsed file. It is shared: callers must not modify it.
	Content *Content
}

// Source returns the Source that values from f carry.
func (f File) Source() Source { return Source{Scope: f.Scope, Path: f.Path} }

// Settings is the merged view of all settings files plus the process environment.
type Settings struct {
	files       []File // highest precedence first, including files that do not exist
	projectRoot string
	userFile    string // "" when there is no home directory
	localFile   string
	projectFile string
	environ     []string          // the process environment, deduplicated, in order
	procEnv     map[string]string // the same, by name
}

// Load finds, reads and checks every settings file. Errors from several files are joined, so
// that a user sees every broken file at once; on error no Settings is returned.
func Load(opts Options) (*Settings, error) {
	environ, procEnv := dedupEnviron(opts.Environ)
	workDir := opts.WorkDir
	if workDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("settings: working directory: %w", err)
		}
		workDir = wd
	}
	workDir, err := filepath.Abs(workDir)
	if err != nil {
		return nil, fmt.Errorf("settings: working directory: %w", err)
	}
	home := opts.Home
	if home == "" {
		home = procEnv["HOME"]
	}

	s := &Settings{environ: environ, procEnv: procEnv, projectRoot: projectRoot(workDir)}
	s.localFile = filepath.Join(s.projectRoot, ".claude", "settings.local.json")
	s.projectFile = filepath.Join(s.projectRoot, ".claude", "settings.json")
	if dir := procEnv[EnvConfigDir]; dir != "" {
		s.userFile = filepath.Join(expandPath(dir, home, workDir), "settings.json")
	} else if home != "" {
		s.userFile = filepath.Join(home, ".claude", "settings.json")
	}
	managed := defaultManagedPath(runtime.GOOS)
	if p := procEnv[EnvManagedSettings]; p != "" {
		managed = expandPath(p, home, workDir)
	}

	var errs []error
	add := func(scope Scope, path string, required bool) {
		f, err := readFile(scope, path, required)
		if err != nil {
			errs = append(errs, err)
			return
		}
		s.files = append(s.files, f)
	}
	dropIns, err := managedDropIns(managed)
	if err != nil {
		errs = append(errs, err)
	}
	for _, p := range slices.Backward(dropIns) {
		add(ScopeManaged, p, true)
	}
	add(ScopeManaged, managed, false)
	for i := len(opts.SettingsFiles) - 1; i >= 0; i-- {
		arg := opts.SettingsFiles[i]
		if strings.HasPrefix(strings.TrimSpace(arg), "{") {
			label := "--settings #" + strconv.Itoa(i+1)
			c, err := parse(label, []byte(arg))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			s.files = append(s.files, File{Scope: ScopeFlag, Path: label, Exists: true, Content: c})
			continue
		}
		add(ScopeFlag, expandPath(arg, home, workDir), true)
	}
	if !opts.SkipProject {
		add(ScopeLocal, s.localFile, false)
		// When the project root is the home directory, the project file is the user file;
		// it is read once, as the user file, so its rules and warnings are not doubled.
		if s.projectFile != s.userFile {
			add(ScopeProject, s.projectFile, false)
		}
	}
	if s.userFile != "" {
		add(ScopeUser, s.userFile, false)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// managedDropIns lists the policy fragments of managed-settings.d beside the managed file, in
// the order they apply: alphabetically, each over the ones before it and over the base file,
// as drop-in directories do. Hidden files are skipped, so editors' backups stay out.
func managedDropIns(managed string) ([]string, error) {
	dir := filepath.Join(filepath.Dir(managed), "managed-settings.d")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("settings: read managed settings fragments: %w", err)
	}
	var out []string
	for _, e := range entries { // ReadDir sorts by name
		if name := e.Name(); !e.IsDir() && !strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".json") {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return out, nil
}

// readFile reads and parses one file; a missing file is a File with Exists false unless it
// was named explicitly.
func readFile(scope Scope, path string, required bool) (File, error) {
	f := File{Scope: scope, Path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("settings: read %s settings: %w", scope, err)
	}
	c, err := parse(path, data)
	if err != nil {
		return f, err
	}
	f.Exists, f.Content = true, c
	return f, nil
}

// defaultManagedPath is where Claude Code's enterprise policy file lives on goos.
func defaultManagedPath(goos string) string {
	switch goos {
	case "darwin":
		return "/Library/Application Support/ClaudeCode/managed-settings.json"
	case "windows":
		return `C:\Program Files\ClaudeCode\managed-settings.json`
	default:
		return "/etc/claude-code/managed-settings.json"
	}
}

// projectRoot walks up from dir to the directory holding .git (a directory, or a file in
// worktrees and submodules); outside a repository it is dir itself.
func projectRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// expandPath turns "~" and "~/x" into paths under home and makes relative paths relative to
// base.
func expandPath(p, home, base string) string {
	if home != "" && (p == "~" || strings.HasPrefix(p, "~/")) {
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p)
}

// dedupEnviron keeps the last value of each name at the place of its first appearance.
// Entries without "=" are dropped.
func dedupEnviron(env []string) ([]string, map[string]string) {
	vals := make(map[string]string, len(env))
	var order []string
	for _, kv := range env {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			continue
		}
		if _, seen := vals[name]; !seen {
			order = append(order, name)
		}
		vals[name] = val
	}
	out := make([]string, len(order))
	for i, name := range order {
		out[i] = name + "=" + vals[name]
	}
	return out, vals
}

// Files lists every file considered, highest precedence first, whether or not it exists.
func (s *Settings) Files() []File { return append([]File(nil), s.files...) }

// ProjectRoot is the git repository root containing the working directory, or the working
// directory itself.
func (s *Settings) ProjectRoot() string { return s.projectRoot }

// UserFile is the user settings file (~/.claude/settings.json or
// $CLAUDE_CONFIG_DIR/settings.json); "" when there is no home directory.
func (s *Settings) UserFile() string { return s.userFile }

// LocalFile is the project's personal settings file, .claude/settings.local.json at the
// project root: where "always allow" answers are written.
func (s *Settings) LocalFile() string { return s.localFile }

// ProjectFile is the project's shared (committed) settings file, .claude/settings.json at the
// project root.
func (s *Settings) ProjectFile() string { return s.projectFile }

// loaded yields the files that exist, highest precedence first.
func (s *Settings) loaded() []File {
	out := make([]File, 0, len(s.files))
	for _, f := range s.files {
		if f.Content != nil {
			out = append(out, f)
		}
	}
	return out
}
