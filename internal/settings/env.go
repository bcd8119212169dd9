package settings

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// LookupEnv returns the effective value of an environment variable: the env block of the
// highest-precedence file that names it, else the process environment. An empty value counts
// as unset (ok is false) wherever it comes from, so "VAR": "" in a settings file neutralises a
// shell export. source is where the decision was made, even when ok is false; it is the zero
// Source when nothing names the variable.
func (s *Settings) LookupEnv(name string) (value string, source Source, ok bool) {
	if v, src, found := s.envBlock(name); found {
		return v, src, v != ""
	}
	if v, found := s.procEnv[name]; found {
		return v, Source{Scope: ScopeEnvironment}, v != ""
	}
	return "", Source{}, false
}

// Getenv returns the effective value of name, "" when unset.
func (s *Settings) Getenv(name string) string {
	v, _, _ := s.LookupEnv(name)
	return v
}

// envBlock finds name in the env blocks, highest precedence first.
func (s *Settings) envBlock(name string) (string, Source, bool) {
	for _, f := range s.loaded() {
		if v, ok := f.Content.Env[name]; ok {
			return v, f.Source(), true
		}
	}
	return "", Source{}, false
}

// EnvBlock returns every variable the env blocks set, with the file that won; neutralised
// variables have an empty Value.
func (s *Settings) EnvBlock() map[string]Sourced {
	out := make(map[string]Sourced)
	files := s.loaded()
	for i := len(files) - 1; i >= 0; i-- { // lowest first, so higher files overwrite
		for name, v := range files[i].Content.Env {
			out[name] = Sourced{Value: v, Source: files[i].Source()}
		}
	}
	return out
}

// Environ returns the environment for the commands ganban runs (the Bash tool,
// awsAuthRefresh, ...): the process environment with the env blocks applied and every empty
// value removed, as "NAME=value" strings. Variables keep their process order; new ones follow,
// sorted.
func (s *Settings) Environ() []string {
	block := s.EnvBlock()
	out := make([]string, 0, len(s.environ)+len(block))
	for _, name := range envNames(s.environ) {
		v := s.procEnv[name]
		if b, ok := block[name]; ok {
			v = b.Value
		}
		if v != "" {
			out = append(out, name+"="+v)
		}
	}
	var added []string
	for name, b := range block {
		if _, inProc := s.procEnv[name]; !inProc && b.Value != "" {
			added = append(added, name+"="+b.Value)
		}
	}
	sort.Strings(added)
	return append(out, added...)
}

func envNames(environ []string) []string {
	names := make([]string, len(environ))
	for i, kv := range environ {
		names[i], _, _ = strings.Cut(kv, "=")
	}
	return names
}

// Apply writes the env blocks into ganban's own process environment: set variables are set,
// empty ones unset. It is the only function of this package that changes the process; call
// it once at startup, before anything reads the environment.
func (s *Settings) Apply() error {
	var errs []error
	for name, b := range s.EnvBlock() {
		var err error
		if b.Value == "" {
			err = os.Unsetenv(name)
		} else {
			err = os.Setenv(name, b.Value)
		}
		if err != nil {
			// The value is not in the message: it may be a secret.
			errs = append(errs, fmt.Errorf("settings: apply env %s from %s: %w", name, b.Source, err))
		}
	}
	return errors.Join(errs...)
}
