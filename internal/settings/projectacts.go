package settings

import (
	"path/filepath"
	"sort"
	"strings"

	"ganban/internal/redact"
)

// ProjectActs lists what the project's own files (.claude/settings.json and
// settings.local.json) would make ganban do beyond choosing a model: variables they set, the
// commands they name, permissions they widen. These need the folder to be trusted; deny and
// ask rules only narrow what happens, so they do not. Empty when the files ask for nothing
// of the kind, or were skipped.
func (s *Settings) ProjectActs() []string {
	var acts []string
	for _, f := range s.files {
		if !f.Exists || (f.Scope != ScopeProject && f.Scope != ScopeLocal) {
			continue
		}
		c, name := f.Content, ".claude/"+filepath.Base(f.Path)
		if len(c.Env) > 0 {
			keys := make([]string, 0, len(c.Env))
			for k := range c.Env {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			acts = append(acts, name+" sets "+strings.Join(keys, ", "))
		}
		for _, cmd := range []struct {
			key   string
			value *string
		}{{"awsAuthRefresh", c.AWSAuthRefresh}, {"awsCredentialExport", c.AWSCredentialExport}} {
			if cmd.value != nil && strings.TrimSpace(*cmd.value) != "" {
				acts = append(acts, name+" runs "+cmd.key+": "+redact.String(*cmd.value))
			}
		}
		p := c.Permissions
		if len(p.Allow) > 0 {
			acts = append(acts, name+" allows without asking: "+strings.Join(p.Allow, ", "))
		}
		if p.DefaultMode != nil && *p.DefaultMode != "" && *p.DefaultMode != "default" {
			acts = append(acts, name+" sets the permission mode "+*p.DefaultMode)
		}
		if len(p.AdditionalDirectories) > 0 {
			acts = append(acts, name+" opens directories: "+strings.Join(p.AdditionalDirectories, ", "))
		}
	}
	return acts
}
