package sim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"
)

// Listener is a Server bound to an address.
type Listener struct {
	// URL is the base URL clients use: http://127.0.0.1:PORT or https://...
	URL string
	// CAPEM is the certificate authority that signed the TLS certificate (TLS only); clients
	// trust it through AWS_CA_BUNDLE.
	CAPEM []byte

	http *http.Server
	done chan error
}

// Listen serves s on addr (host:port; port 0 picks a free one). It speaks HTTP/1.1 and
// HTTP/2: by ALPN over TLS, and as cleartext h2c with prior knowledge, which the AWS SDK for
// JavaScript uses for bedrock-runtime on http:// endpoints.
func Listen(s *Server, addr string, useTLS bool) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim: listen on %s: %w", addr, err)
	}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(true)
	l := &Listener{http: &http.Server{Handler: s, Protocols: &protocols, ReadHeaderTimeout: 30 * time.Second}, done: make(chan error, 1)}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if useTLS {
		caPEM, cert, err := loopbackCertificate(host)
		if err != nil {
			ln.Close()
			return nil, err
		}
		l.CAPEM = caPEM
		l.http.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, l.http.TLSConfig)
		l.http.TLSConfig.NextProtos = []string{"h2", "http/1.1"}
		scheme = "https"
	}
	l.URL = scheme + "://" + net.JoinHostPort(host, port)
	go func() { l.done <- l.http.Serve(ln) }()
	return l, nil
}

// Close stops accepting requests and waits up to the context's deadline for open ones to
// finish; connections still open then are closed.
func (l *Listener) Close(ctx context.Context) error {
	err := l.http.Shutdown(ctx)
	if err != nil {
		err = l.http.Close()
	}
	if serr := <-l.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}

// loopbackCertificate makes a throw-away CA and a server certificate it signs for the
// loopback names, valid for a day.
func loopbackCertificate(host string) ([]byte, tls.Certificate, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ganban sim local CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "ganban sim"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
		leafTmpl.IPAddresses = append(leafTmpl.IPAddresses, ip)
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key, Leaf: nil}, nil
}
