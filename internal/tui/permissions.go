package tui

import (
	"fmt"
	"strings"
	"text/tabwriter"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/permission"
	"ganban/internal/settings"
)

const permissionsUsage = "/permissions                      show the rules and where each comes from\n/permissions add allow RULE       add a rule to .claude/settings.local.json (allow, ask or deny)\n/permissions remove allow RULE    remove a rule from .claude/settings.local.json\nRules look like Bash(npm run test:*), Edit(src/**), Read(~/notes/**), WebFetch(domain:example.com)."

func (m *Model) cmdPermissions(args string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.sayErr("/permissions", errNoSession)
		return nil
	}
	f := strings.Fields(args)
	if len(f) == 0 {
		m.say("/permissions", m.permissionsText())
		return nil
	}
	if len(f) < 3 || (f[0] != "add" && f[0] != "remove") {
		m.say("/permissions", permissionsUsage)
		return nil
	}
	list := f[1]
	if list != settings.ListAllow && list != settings.ListAsk && list != settings.ListDeny {
		m.sayErr("/permissions", fmt.Errorf("unknown list %q: use allow, ask or deny", list))
		return nil
	}
	raw := strings.TrimSpace(strings.SplitN(strings.TrimSpace(args), " ", 3)[2])
	rule, err := permission.ParseRule(raw)
	if err != nil {
		m.sayErr("/permissions", err)
		return nil
	}
	path := m.live.rt.Settings.LocalFile()
	switch f[0] {
	case "add":
		if err := settings.AddPermissionRule(path, list, rule.String()); err != nil {
			m.sayErr("/permissions", err)
			return nil
		}
		if err := m.live.rt.TrustProject(); err != nil {
			m.sayErr("/permissions", err)
		}
		behavior := map[string]permission.Behavior{settings.ListAllow: permission.Allow, settings.ListAsk: permission.Ask, settings.ListDeny: permission.Deny}[list]
		rule.Source = path
		if err := m.live.rt.Permissions.AddRule(behavior, rule); err != nil {
			m.sayErr("/permissions", err)
			return nil
		}
		m.say("/permissions", fmt.Sprintf("Added %s to permissions.%s in %s. It applies now.", rule, list, path))
	case "remove":
		removed, err := settings.RemovePermissionRule(path, list, rule.String())
		switch {
		case err != nil:
			m.sayErr("/permissions", err)
		case !removed:
			m.sayErr("/permissions", fmt.Errorf("%s is not in permissions.%s of %s (rules in other files are edited there)", rule, list, path))
		default:
			m.say("/permissions", fmt.Sprintf("Removed %s from permissions.%s in %s. It stops applying from the next session.", rule, list, path))
		}
	}
	return nil
}

// permissionsText lists the rules as the files hold them now, with the command line's and
// this session's.
func (m *Model) permissionsText() string {
	rt := m.live.rt
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Mode\t%s\n", rt.Permissions.Mode())
	s, err := m.live.settingsNow()
	if err != nil {
		fmt.Fprintf(tw, "Settings\tcannot read: %v\n", err)
	} else {
		p := s.Permissions()
		for _, l := range []struct {
			name  string
			rules []settings.Rule
		}{{"allow", p.Allow}, {"ask", p.Ask}, {"deny", p.Deny}} {
			for _, r := range l.rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", l.name, r.Rule, r.Source.Path)
			}
		}
		for _, d := range p.AdditionalDirectories {
			fmt.Fprintf(tw, "dir\t%s\t%s\n", d.Value, d.Source.Path)
		}
	}
	cfg := rt.PermissionConfig.Rules
	for _, l := range []struct {
		name  string
		rules []permission.Rule
	}{{"allow", cfg.Allow}, {"deny", cfg.Deny}} {
		for _, r := range l.rules {
			if strings.HasPrefix(r.Source, "--") {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", l.name, r, r.Source)
			}
		}
	}
	for _, r := range sortedRules(m.sessionRules) {
		fmt.Fprintf(tw, "allow\t%s\t%s\n", r, permission.SessionSource)
	}
	tw.Flush()
	b.WriteString("\n" + permissionsUsage)
	return b.String()
}
