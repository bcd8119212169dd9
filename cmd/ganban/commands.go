package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ganban/internal/bedrock"
	"ganban/internal/bootstrap"
	"ganban/internal/doctor"
	"ganban/internal/session"
	"ganban/internal/settings"
)

func newDoctorCmd() *cobra.Command {
	var f sessionFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the Bedrock setup step by step and say what to fix",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			boot, err := f.boot()
			if err != nil {
				return err
			}
			boot.RefreshOutput = cmd.ErrOrStderr()
			checks := doctor.Run(cmd.Context(), boot)
			if asJSON {
				doctor.RenderJSON(cmd.OutOrStdout(), checks)
			} else {
				doctor.Render(cmd.OutOrStdout(), checks)
			}
			if doctor.Failed(checks) {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the checks as JSON")
	cmd.Flags().StringArrayVar(&f.setts, "settings", nil, "a settings file above the project and user files")
	cmd.Flags().StringVar(&f.model, "model", "", "check this model instead of the configured one")
	return cmd
}

// loadRuntime assembles a runtime for the informational commands.
func loadRuntime(cmd *cobra.Command, f sessionFlags) (*bootstrap.Runtime, error) {
	boot, err := f.boot()
	if err != nil {
		return nil, err
	}
	boot.RefreshOutput = cmd.ErrOrStderr()
	rt, err := bootstrap.Load(cmd.Context(), boot)
	if err != nil {
		return rt, withAdvice(err, rt)
	}
	return rt, nil
}

func withAdvice(err error, rt *bootstrap.Runtime) error {
	if a := bedrock.Advice(err, rt.CatalogOrDefault()); a != "" {
		return fmt.Errorf("%w\n  next step: %s", err, a)
	}
	return err
}

func newModelsCmd() *cobra.Command {
	var f sessionFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "models",
		Short: "List the Claude inference profiles in the region and whether each is invokable (S25)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := loadRuntime(cmd, f)
			if err != nil {
				return err
			}
			_ = rt.ResolveModels(cmd.Context())
			profiles, err := rt.Client.ListProfiles(cmd.Context())
			if err != nil {
				return withAdvice(err, rt)
			}
			type row struct {
				ID         string `json:"id"`
				ARN        string `json:"arn"`
				Name       string `json:"name"`
				Type       string `json:"type"`
				Model      string `json:"model,omitempty"`
				Invokable  bool   `json:"invokable"`
				Error      string `json:"error,omitempty"`
				Configured string `json:"configured,omitempty"`
			}
			var rows []row
			for _, p := range profiles {
				r := row{ID: p.ID, ARN: p.ARN, Name: p.Name, Type: "system"}
				target := p.ID
				if p.Application {
					r.Type, target = "application", p.ARN
				}
				if p.Info != nil {
					r.Model = p.Info.Name
					if p.Info.EOL != "" && time.Now().Format(time.DateOnly) >= p.Info.EOL {
						r.Error = "retired " + p.Info.EOL
					}
				}
				if r.Error == "" {
					if err := rt.Client.Probe(cmd.Context(), target, rt.Region); err != nil {
						r.Error = shortError(err)
					} else {
						r.Invokable = true
					}
				}
				switch target {
				case rt.Primary.ID:
					r.Configured = "primary"
				case rt.SmallFast.ID:
					r.Configured = "small/fast"
				}
				rows = append(rows, r)
			}
			if asJSON {
				return printJSON(cmd, map[string]any{"region": rt.Region, "profiles": rows})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "Claude inference profiles in %s (%s)\n", rt.Region, rt.RegionSource)
			fmt.Fprintln(tw, "\tPROFILE\tMODEL\tINVOKABLE")
			for _, r := range rows {
				mark := " "
				if r.Configured != "" {
					mark = "*"
				}
				inv := "yes"
				if !r.Invokable {
					inv = "no: " + r.Error
				}
				id := r.ID
				if r.Type == "application" {
					id = r.ARN
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark, id, r.Model, inv)
			}
			fmt.Fprintln(tw, "* configured (primary and small/fast); pin one with ANTHROPIC_MODEL=<profile>")
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringArrayVar(&f.setts, "settings", nil, "a settings file above the project and user files")
	cmd.Flags().StringVar(&f.model, "model", "", "mark this model as the primary one instead of the configured one")
	return cmd
}

func shortError(err error) string {
	if be, ok := err.(*bedrock.Error); ok {
		if be.Code != "" {
			return be.Code
		}
		return be.Kind.String()
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	return s
}

func newIAMPolicyCmd() *cobra.Command {
	var f sessionFlags
	var restrict bool
	cmd := &cobra.Command{
		Use:   "iam-policy",
		Short: "Print an IAM policy that lets ganban use Bedrock (S22); --restrict narrows it to the configured models (S23)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !restrict {
				fmt.Fprintln(cmd.OutOrStdout(), bedrock.Policy("", nil).JSON())
				return nil
			}
			rt, err := loadRuntime(cmd, f)
			if err != nil {
				return err
			}
			if err := rt.ResolveModels(cmd.Context()); err != nil {
				return withAdvice(err, rt)
			}
			var ps []bedrock.Profile
			for _, m := range []struct {
				ch     bedrock.Choice
				region string
			}{{rt.Primary, ""}, {rt.SmallFast, rt.SmallFastCallRegion()}} {
				if m.ch.ID == "" {
					continue
				}
				p, err := rt.Client.PolicyProfile(cmd.Context(), m.ch, m.region)
				if err != nil {
					return withAdvice(err, rt)
				}
				ps = append(ps, p)
			}
			fmt.Fprintln(cmd.OutOrStdout(), bedrock.Policy(rt.Region, ps).JSON())
			return nil
		},
	}
	cmd.Flags().BoolVar(&restrict, "restrict", false, "name only the configured models' profiles and the foundation models they route to")
	cmd.Flags().StringArrayVar(&f.setts, "settings", nil, "with --restrict: a settings file above the project and user files")
	cmd.Flags().StringVar(&f.model, "model", "", "with --restrict: the primary model to allow instead of the configured one")
	return cmd
}

func newConfigCmd() *cobra.Command {
	var f sessionFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective settings, each with the file it came from (secrets redacted)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			boot, err := f.boot()
			if err != nil {
				return err
			}
			s, err := settings.Load(settings.Options{WorkDir: boot.WorkDir, Home: boot.Home, SettingsFiles: boot.SettingsFiles, Environ: boot.Environ})
			if err != nil {
				return err
			}
			entries := s.Effective(true)
			if asJSON {
				return printJSON(cmd, entries)
			}
			return settings.Render(entries, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringArrayVar(&f.setts, "settings", nil, "a settings file above the project and user files")
	return cmd
}

func newSessionsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "sessions",
		Short: "List this directory's recent sessions with title, turns, cost and age",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			home := session.Home(os.Getenv)
			list, err := session.List(session.ProjectDir(home, wd))
			if err != nil {
				return err
			}
			if len(list) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "No sessions in this directory yet.")
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tTURNS\tCOST\tAGE")
			for _, s := range list {
				title := s.Title
				if title == "" {
					title = "(untitled)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t$%.4f\t%s\n", s.ID, title, s.Turns, s.CostUSD, age(time.Since(s.Updated)))
			}
			return tw.Flush()
		},
	}
}

func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

// printJSON writes v as indented JSON on stdout.
func printJSON(cmd *cobra.Command, v any) error {
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
