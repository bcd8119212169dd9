package settings

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"ganban/internal/redact"
)

// Entry is one effective setting for `ganban config`: a key such as "env.AWS_PROFILE",
// "model" or "permissions.allow" (one entry per rule), its value and where it came from.
type Entry struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source Source `json:"source"`
}

// Effective lists every effective value the settings files set: the env block variables,
// awsAuthRefresh, awsCredentialExport, model, modelOverrides, defaultMode, the permission
// rules and additionalDirectories. With redacted, secrets are masked: variables whose names
// say they are secret, anything redact.String recognises, and any secret variable's value
// (from the files or the process environment) that shows up inside another value, such as a
// token pasted into an awsCredentialExport command.
func (s *Settings) Effective(redacted bool) []Entry {
	var known []string
	if redacted {
		known = s.knownSecrets()
	}
	clean := func(v string) string {
		if !redacted {
			return v
		}
		return redact.String(v, known...)
	}
	var out []Entry
	block := s.EnvBlock()
	for _, name := range sortedKeys(block) {
		b := block[name]
		v := b.Value
		if redacted {
			v = clean(redact.Env(name, v))
		}
		out = append(out, Entry{Key: "env." + name, Value: v, Source: b.Source})
	}
	for _, sc := range []struct {
		key string
		get func() (string, Source)
	}{
		{"awsAuthRefresh", s.AWSAuthRefresh},
		{"awsCredentialExport", s.AWSCredentialExport},
		{"model", s.Model},
	} {
		if v, src := sc.get(); !src.IsZero() {
			out = append(out, Entry{Key: sc.key, Value: clean(v), Source: src})
		}
	}
	overrides := s.ModelOverrides()
	for _, id := range sortedKeys(overrides) {
		o := overrides[id]
		out = append(out, Entry{Key: "modelOverrides." + id, Value: clean(o.Value), Source: o.Source})
	}
	p := s.Permissions()
	if !p.DefaultMode.Source.IsZero() {
		out = append(out, Entry{Key: "permissions.defaultMode", Value: clean(p.DefaultMode.Value), Source: p.DefaultMode.Source})
	}
	for _, rules := range [][]Rule{p.Allow, p.Ask, p.Deny} {
		for _, r := range rules {
			out = append(out, Entry{Key: "permissions." + r.List, Value: clean(r.Rule), Source: r.Source})
		}
	}
	for _, d := range p.AdditionalDirectories {
		out = append(out, Entry{Key: "permissions.additionalDirectories", Value: clean(d.Value), Source: d.Source})
	}
	return out
}

// knownSecrets are the values of secret variables from the env blocks and the process
// environment, so that they are masked wherever they appear.
func (s *Settings) knownSecrets() []string {
	var known []string
	for name, b := range s.EnvBlock() {
		if redact.IsSecretEnv(name) && b.Value != "" {
			known = append(known, b.Value)
		}
	}
	for name, v := range s.procEnv {
		if redact.IsSecretEnv(name) && v != "" {
			known = append(known, v)
		}
	}
	return known
}

// Render writes entries as an aligned table of key, value and source. Values that are empty
// or hold spaces at their ends or control characters are quoted, so that every entry stays
// on one line and a neutralised variable shows as "".
func Render(entries []Entry, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tSOURCE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", displayValue(e.Key), displayValue(e.Value), displayValue(e.Source.String()))
	}
	return tw.Flush()
}

func displayValue(v string) string {
	if v == "" || strings.TrimSpace(v) != v || strings.ContainsFunc(v, func(r rune) bool {
		return !unicode.IsPrint(r) && r != ' '
	}) {
		return strconv.Quote(v)
	}
	return v
}
