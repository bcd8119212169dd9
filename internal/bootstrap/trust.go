package bootstrap

import (
	"strings"

	"ganban/internal/session"
	"ganban/internal/settings"
	"ganban/internal/trust"
)

// TrustQuestion is what the interactive UI asks before acting on a folder's own settings.
type TrustQuestion struct {
	// Folder is the project root; Acts says what its settings files would make ganban do.
	Folder string
	Acts   []string
	home   string
}

// Grant trusts the folder from now on.
func (q *TrustQuestion) Grant() error { return trust.Add(q.home, q.Folder) }

// AskTrust returns the question to ask when the project's settings files would set
// variables, run commands or widen permissions and the folder is not trusted yet; nil when
// there is nothing to ask. It reads the files without applying them.
func AskTrust(o Options) (*TrustQuestion, error) {
	if o.SkipProjectSettings {
		return nil, nil
	}
	s, err := settings.Load(settings.Options{WorkDir: o.WorkDir, Home: o.Home, SettingsFiles: o.SettingsFiles, Environ: o.Environ})
	if err != nil {
		return nil, err
	}
	acts := s.ProjectActs()
	home := trustHome(o.Environ)
	if len(acts) == 0 || trust.Trusted(home, s.ProjectRoot()) {
		return nil, nil
	}
	return &TrustQuestion{Folder: s.ProjectRoot(), Acts: acts, home: home}, nil
}

// TrustProject trusts the session's project: the person has just written to its settings
// through ganban (always allow, /permissions add), so those rules must not bring the
// question back. A folder the person chose not to trust stays untrusted.
func (r *Runtime) TrustProject() error {
	if r.skipProject {
		return nil
	}
	return trust.Add(trustHome(r.environ), r.Settings.ProjectRoot())
}

// trustHome is ganban's home as the process environment and the user's files set it, never a
// project's file: a folder cannot vouch for itself.
func trustHome(environ []string) string {
	return session.Home(func(name string) string {
		v := ""
		for _, kv := range environ {
			if k, val, ok := strings.Cut(kv, "="); ok && k == name {
				v = val
			}
		}
		return v
	})
}
