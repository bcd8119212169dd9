// Package simtest starts a Bedrock simulator on loopback for the duration of a test.
package simtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ganban/internal/sim"
)

// Sim is a running simulator.
type Sim struct {
	*sim.Server
	URL   string
	CAPEM []byte
	// CAFile holds CAPEM on disk (TLS only), for AWS_CA_BUNDLE.
	CAFile string
}

// Start runs a simulator with opts on 127.0.0.1 and stops it when the test ends.
func Start(t testing.TB, opts sim.Options) *Sim { return start(t, opts, false) }

// StartTLS is Start over HTTPS with a generated loopback CA.
func StartTLS(t testing.TB, opts sim.Options) *Sim { return start(t, opts, true) }

func start(t testing.TB, opts sim.Options, useTLS bool) *Sim {
	t.Helper()
	srv, err := sim.New(opts)
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	ln, err := sim.Listen(srv, "127.0.0.1:0", useTLS)
	if err != nil {
		t.Fatalf("sim.Listen: %v", err)
	}
	s := &Sim{Server: srv, URL: ln.URL, CAPEM: ln.CAPEM}
	if useTLS {
		s.CAFile = filepath.Join(t.TempDir(), "sim-ca.pem")
		if err := os.WriteFile(s.CAFile, ln.CAPEM, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		// Tests keep no request open past their end, so idle keep-alive connections are all
		// that is left; do not wait for clients to hang up.
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_ = ln.Close(ctx)
	})
	return s
}

// HTTPClient returns a client that trusts the simulator's CA.
func (s *Sim) HTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if s.CAPEM != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(s.CAPEM)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: tr}
}

// WriteFile writes content to name in a fresh temporary directory and returns its path.
func WriteFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
