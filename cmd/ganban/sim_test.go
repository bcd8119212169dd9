package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"ganban/internal/sim"
)

// TestSimFlags parses `ganban sim` flags into the simulator's options as the command does.
func TestSimFlags(t *testing.T) {
	scen := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(scen, []byte(`{"fallback_reply": {"content": [{"type": "text", "text": "in {{cwd}} as {{who}}"}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	defaultFaults := sim.RandomFaults{Seed: 1}
	type want struct {
		region string
		quota  sim.Quota
		faults sim.RandomFaults
		reply  string // the scenario's fallback text after --var substitution
	}
	cases := []struct {
		name    string
		args    []string
		want    want
		wantErr string
	}{
		{"defaults", nil, want{region: "us-east-1", faults: defaultFaults}, ""},
		{"region", []string{"--region", "eu-west-1"}, want{region: "eu-west-1", faults: defaultFaults}, ""},
		{"quota", []string{"--quota", "rpm=50, tpm=200000"}, want{region: "us-east-1", quota: sim.Quota{RPM: 50, TPM: 200000}, faults: defaultFaults}, ""},
		{"random faults", []string{"--fault-rate", "0.25", "--seed", "7", "--fault-kinds", "throttling,stream_cut:3"},
			want{region: "us-east-1", faults: sim.RandomFaults{Rate: 0.25, Seed: 7, Kinds: []string{"throttling", "stream_cut:3"}}}, ""},
		{"vars", []string{"--scenario", scen, "--var", "cwd=/src", "--var", "who=a=b"},
			want{region: "us-east-1", faults: defaultFaults, reply: "in /src as a=b"}, ""},
		{"quota of zero", []string{"--quota", "rpm=0"}, want{}, `"rpm=0" must be a positive integer`},
		{"unknown quota", []string{"--quota", "burst=5"}, want{}, `unknown limit "burst"`},
		{"fault rate above 1", []string{"--fault-rate", "1.5"}, want{}, "--fault-rate 1.5: must be between 0 and 1"},
		{"negative fault rate", []string{"--fault-rate", "-0.1"}, want{}, "must be between 0 and 1"},
		{"negative seed", []string{"--seed", "-1"}, want{}, `invalid argument "-1" for "--seed"`},
		{"unknown fault kind", []string{"--fault-kinds", "throttling,flood"}, want{}, `--fault-kinds: unknown fault "flood"`},
		{"bad fault count", []string{"--fault-kinds", "stream_cut:x"}, want{}, `"x" is not a count`},
		{"var without a value", []string{"--scenario", scen, "--var", "cwd"}, want{}, `--var "cwd": want name=value`},
		{"var without a name", []string{"--var", "=x"}, want{}, "want name=value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var f simFlags
			cmd := &cobra.Command{}
			f.bind(cmd)
			err := cmd.ParseFlags(tc.args)
			var opts sim.Options
			if err == nil {
				var closeLog func()
				opts, closeLog, err = simOptions(f)
				closeLog()
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := want{region: opts.Region, quota: opts.Quota, faults: opts.Faults}
			if opts.Scenario != nil {
				got.reply = opts.Scenario.FallbackReply.Content[0].Text
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("options = %+v, want %+v", got, tc.want)
			}
		})
	}
}
