package awsauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func TestParseExport(t *testing.T) {
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name, out   string
		wantKey     string
		wantExpires time.Time
		wantErr     string
	}{
		{"guide shape", `{"Credentials": {"AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "` + secret + `", "SessionToken": "tok"}}`, "AKIDEXAMPLE", now.Add(time.Hour), ""},
		{"with expiration", `{"Credentials": {"AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "` + secret + `", "Expiration": "2026-11-28T02:00:00Z"}}`, "AKIDEXAMPLE", now.Add(2 * time.Hour), ""},
		{"flat export-credentials shape", `{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "` + secret + `", "SessionToken": "t", "Expiration": "2026-11-28T00:30:00+00:00"}`, "AKIDEXAMPLE", now.Add(30 * time.Minute), ""},
		{"not JSON", "Enter MFA code:", "", time.Time{}, "not JSON"},
		{"missing secret", `{"Credentials": {"AccessKeyId": "AKIDEXAMPLE"}}`, "", time.Time{}, "SecretAccessKey"},
		{"bad expiration", `{"AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "tomorrow"}`, "", time.Time{}, "ISO 8601"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseExport([]byte(tc.out), now)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || c.AccessKeyID != tc.wantKey || !c.Expires.Equal(tc.wantExpires) || !c.CanExpire {
				t.Errorf("got %+v, %v", c, err)
			}
		})
	}
}

func FuzzParseExport(f *testing.F) {
	f.Add([]byte(`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "s"}}`))
	f.Fuzz(func(t *testing.T, out []byte) {
		c, err := ParseExport(out, time.Unix(0, 0))
		if err == nil && (c.AccessKeyID == "" || c.SecretAccessKey == "") {
			t.Fatal("accepted credentials without keys")
		}
	})
}

// script writes an executable shell script and returns a command that runs it.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cmd.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExportCommand(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "runs")
	cmd := script(t, `echo run >> `+counter+`
read line && echo "stdin was open" >&2 && exit 3
echo '{"Credentials": {"AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "`+secret+`", "SessionToken": "tok", "Expiration": "`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`"}}'`)
	p := New(Config{Export: cmd, Environ: os.Environ()})
	for range 3 {
		c, err := p.Credentials().Retrieve(context.Background())
		if err != nil || c.AccessKeyID != "AKIDEXAMPLE" || c.Source != SourceExport {
			t.Fatalf("retrieve: %+v %v", c, err)
		}
	}
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 1 {
		t.Errorf("export ran %d times, want once (cached until 5 minutes before expiry)", strings.Count(string(runs), "run"))
	}
	p.Invalidate()
	p.Credentials().Retrieve(context.Background())
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 2 {
		t.Errorf("after Invalidate export ran %d times, want 2", strings.Count(string(runs), "run"))
	}
}

func TestExportNearExpiryRunsAgain(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "runs")
	cmd := script(t, `echo run >> `+counter+`
echo '{"AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "`+secret+`", "Expiration": "`+time.Now().Add(4*time.Minute).UTC().Format(time.RFC3339)+`"}'`)
	p := New(Config{Export: cmd, Environ: os.Environ()})
	for range 2 {
		if _, err := p.Credentials().Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 2 {
		t.Errorf("credentials expiring within 5 minutes must be re-resolved; ran %d times", strings.Count(string(runs), "run"))
	}
}

func TestExportErrors(t *testing.T) {
	cases := []struct {
		name, body, want string
		timeout          time.Duration
	}{
		{"non-zero exit", `echo "token expired: aws_secret_access_key=` + secret + `" >&2; exit 2`, "exit status 2", 0},
		{"bad JSON", `echo hello`, "not JSON", 0},
		{"missing fields", `echo '{"Credentials": {}}'`, "AccessKeyId", 0},
		{"timeout", `sleep 5`, "timed out", 200 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := New(Config{Export: script(t, tc.body), Environ: os.Environ(), ExportTimeout: tc.timeout})
			start := time.Now()
			_, err := p.Credentials().Retrieve(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "awsCredentialExport") {
				t.Fatalf("err = %v, want %q naming the setting", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error shows a secret: %v", err)
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

type fakeChain struct {
	mu    sync.Mutex
	loads int
	fail  func(load int) error
}

func (f *fakeChain) load(context.Context) (aws.CredentialsProvider, error) {
	f.mu.Lock()
	f.loads++
	n := f.loads
	f.mu.Unlock()
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		if err := f.fail(n); err != nil {
			return aws.Credentials{}, err
		}
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret, Source: "SharedConfigCredentials"}, nil
	}), nil
}

func TestRefreshRecoversAnExpiredChain(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "runs")
	var out bytes.Buffer
	chain := &fakeChain{fail: func(load int) error {
		if load == 1 {
			return errors.New("the SSO session associated with this profile has expired")
		}
		return nil
	}}
	p := New(Config{Refresh: "echo refreshing; echo run >> " + counter, Environ: os.Environ(), LoadChain: chain.load, RefreshOutput: &out})
	c, err := p.Credentials().Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "AKIDEXAMPLE" {
		t.Fatalf("after refresh: %+v %v", c, err)
	}
	if !strings.Contains(out.String(), "refreshing") || p.Refreshes() != 1 {
		t.Errorf("refresh output %q, refreshes %d", out.String(), p.Refreshes())
	}
}

func TestRefreshRunsOnceForConcurrentCallersAndNotTwiceAMinute(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "runs")
	now := time.Now()
	var clock sync.Mutex
	p := New(Config{Refresh: "sleep 0.2; echo run >> " + counter, Environ: os.Environ(),
		Now: func() time.Time { clock.Lock(); defer clock.Unlock(); return now }})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.Refresh(context.Background(), false); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ran, _ := p.Refresh(context.Background(), false); ran {
		t.Error("a second refresh within a minute ran")
	}
	clock.Lock()
	now = now.Add(61 * time.Second)
	clock.Unlock()
	if ran, _ := p.Refresh(context.Background(), false); !ran {
		t.Error("refresh after a minute did not run")
	}
	if ran, _ := p.Refresh(context.Background(), true); !ran {
		t.Error("forced refresh did not run")
	}
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 3 {
		t.Errorf("refresh ran %d times, want 3", strings.Count(string(runs), "run"))
	}
}

func TestRejectedRefreshesOnlyWhatARefreshCanFix(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "runs")
	var loads int
	chain := func(context.Context) (aws.CredentialsProvider, error) {
		loads++
		key := fmt.Sprintf("AKIDEXAMPLE%d", loads)
		return credentials.NewStaticCredentialsProvider(key, secret, ""), nil
	}
	now := time.Now()
	p := New(Config{Refresh: "echo run >> " + counter, Environ: os.Environ(), LoadChain: chain, Now: func() time.Time { return now }})
	ctx := context.Background()
	key := func() string {
		t.Helper()
		c, err := p.Credentials().Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.AccessKeyID
	}
	steps := []struct {
		name     string
		after    time.Duration // clock moved before the rejection
		rejected string
		wantRan  bool
		wantKey  string // what the retry signs with
	}{
		{"first rejection refreshes", 0, "AKIDEXAMPLE1", true, "AKIDEXAMPLE2"},
		{"a call signed before that refresh only retries", 0, "AKIDEXAMPLE1", false, "AKIDEXAMPLE2"},
		{"within the minute the guard holds and the chain is re-read", 30 * time.Second, "AKIDEXAMPLE2", false, "AKIDEXAMPLE3"},
		{"after the minute the refresh runs again", 31 * time.Second, "AKIDEXAMPLE3", true, "AKIDEXAMPLE4"},
	}
	if k := key(); k != "AKIDEXAMPLE1" {
		t.Fatalf("first key %s", k)
	}
	for _, s := range steps {
		now = now.Add(s.after)
		if will := p.WillRefresh(s.rejected); will != s.wantRan {
			t.Errorf("%s: WillRefresh = %v, want %v", s.name, will, s.wantRan)
		}
		ran, err := p.Rejected(ctx, s.rejected)
		if err != nil || ran != s.wantRan {
			t.Errorf("%s: ran %v err %v, want ran %v", s.name, ran, err, s.wantRan)
		}
		if k := key(); k != s.wantKey {
			t.Errorf("%s: retry signs with %s, want %s", s.name, k, s.wantKey)
		}
	}
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 2 {
		t.Errorf("awsAuthRefresh ran %d times, want 2", strings.Count(string(runs), "run"))
	}
}

func TestRefreshFailureNamesTheCommand(t *testing.T) {
	chain := &fakeChain{fail: func(int) error { return errors.New("no credentials") }}
	p := New(Config{Refresh: "echo cannot open browser >&2; exit 1", Environ: os.Environ(), LoadChain: chain.load})
	_, err := p.Credentials().Retrieve(context.Background())
	var ce *CredentialsError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "awsAuthRefresh") || !strings.Contains(err.Error(), "cannot open browser") {
		t.Errorf("err = %v", err)
	}
}

func TestBearerAndSkipUseAnonymousCredentials(t *testing.T) {
	for _, p := range []*Provider{New(Config{BearerToken: "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ=="}), New(Config{SkipAuth: true})} {
		if _, ok := p.Credentials().(aws.AnonymousCredentials); !ok {
			t.Errorf("credentials = %T", p.Credentials())
		}
	}
}

func TestStatusShowsTheCredentialsOwnExpiry(t *testing.T) {
	exp := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	p := New(Config{Environ: os.Environ(), Export: fmt.Sprintf(`echo '{"AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "%s", "SessionToken": "FwoGZXIvYXdzEXAMPLE", "Expiration": "%s"}'`, secret, exp.Format(time.RFC3339))})
	st, err := p.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.CanExpire || !st.Expires.Equal(exp) {
		t.Errorf("expires %v, want %v", st.Expires, exp)
	}
}

func TestRefreshRunsWhileAnyCallerWaitsAndStopsWhenAllHaveGivenUp(t *testing.T) {
	dir := t.TempDir()
	done := filepath.Join(dir, "done")
	pidFile := filepath.Join(dir, "pid")
	p := New(Config{Refresh: "true", Environ: os.Environ()})
	for _, tt := range []struct {
		name     string
		sleep    string
		cancel   []bool // per caller: gives up after 200ms
		wantDone bool
	}{
		{"one of two callers gives up: the run goes on for the other", "0.6", []bool{true, false}, true},
		{"every caller gives up: the run is killed", "30", []bool{true, true}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(done)
			p.cfg.Refresh = fmt.Sprintf("echo $$ > %s; sleep %s; touch %s", pidFile, tt.sleep, done)
			p.lastRefresh = time.Time{}
			var wg sync.WaitGroup
			start := time.Now()
			for _, cancel := range tt.cancel {
				ctx, stop := context.WithCancel(context.Background())
				if cancel {
					time.AfterFunc(200*time.Millisecond, stop)
				}
				wg.Go(func() {
					defer stop()
					p.Refresh(ctx, false)
				})
			}
			wg.Wait()
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("callers waited %v", d)
			}
			_, err := os.Stat(done)
			if finished := err == nil; finished != tt.wantDone {
				t.Errorf("command finished = %v, want %v", finished, tt.wantDone)
			}
			if !tt.wantDone {
				data, _ := os.ReadFile(pidFile)
				pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
				deadline := time.Now().Add(3 * time.Second)
				for pid > 0 && syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				if pid == 0 || syscall.Kill(pid, 0) == nil {
					t.Errorf("refresh process %d still running", pid)
				}
			}
		})
	}
}
