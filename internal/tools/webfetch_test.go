package tools

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWebFetch(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Docs</title><script>evil()</script></head><body>
<nav><a href="/">Home</a></nav><main><h1>Install</h1><p>Run <code>go install</code> then see <a href="/next">next</a>.</p>
<pre><code class="language-sh">go build ./...
</code></pre><ul><li>one</li><li>two</li></ul></main></body></html>`)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "plain *text* stays")
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Write([]byte("<p>caf\xe9</p>"))
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"a":1}`)
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such page", http.StatusNotFound)
	})
	mux.HandleFunc("/same", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/text", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := strings.Repeat("abcdefghij", 1000)
		for range 1200 { // 12 MB
			fmt.Fprint(w, chunk)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// The same server under another loopback name counts as another host.
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+"/text", http.StatusMovedPermanently)
	})

	env := newTestEnv(t)
	env.HTTPClient = srv.Client()
	tests := []struct {
		name    string
		url     string
		wantErr bool
		want    []string
		notWant []string
	}{
		{"html to markdown", srv.URL + "/page", false,
			[]string{"Title: Docs", "# Install", "Run `go install` then see [next](" + srv.URL + "/next).", "```sh\ngo build ./...\n```", "- one\n- two", "---\nAnswer this prompt", "what to install?"},
			[]string{"evil", "Home"}},
		{"plain text as is", srv.URL + "/text", false, []string{"plain *text* stays"}, nil},
		{"charset converted", srv.URL + "/latin1", false, []string{"café"}, nil},
		{"json as is", srv.URL + "/json", false, []string{`{"a":1}`}, nil},
		{"binary refused", srv.URL + "/image", true, []string{"image/png, not text"}, nil},
		{"http error", srv.URL + "/missing", true, []string{"HTTP 404", "no such page"}, nil},
		{"same-host redirect followed", srv.URL + "/same", false, []string{"plain *text* stays", "redirected from"}, nil},
		{"cross-host redirect reported", srv.URL + "/away", false, []string{"REDIRECT", "different host", other + "/text", "call WebFetch again"}, []string{"plain *text* stays"}},
		{"redirect loop", srv.URL + "/loop", true, []string{"redirects"}, nil},
		{"size limit", srv.URL + "/huge", false, []string{"larger than 10 MB", "first 100000 characters"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, env, "WebFetch", map[string]any{"url": tt.url, "prompt": "what to install?"})
			if r.IsError != tt.wantErr {
				t.Fatalf("IsError %v: %s", r.IsError, head(r.Text()))
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Text(), w) {
					t.Errorf("missing %q in\n%s", w, head(r.Text()))
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(r.Text(), w) {
					t.Errorf("unexpected %q", w)
				}
			}
			if len(r.Text()) > maxFetchChars+2000 {
				t.Errorf("result %d chars", len(r.Text()))
			}
		})
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"http://example.com/a#frag", "https://example.com/a", ""},
		{"https://example.com", "https://example.com", ""},
		{"example.com/docs", "https://example.com/docs", ""},
		{"http://localhost:8080/x", "http://localhost:8080/x", ""},
		{"http://127.0.0.1/x", "http://127.0.0.1/x", ""},
		{"http://[::1]:9/x", "http://[::1]:9/x", ""},
		{"ftp://example.com/f", "", "http or https"},
		{"https://user:pw@example.com/", "", "user name or password"},
		{"", "", "url is required"},
		{"https://", "", "no host"},
		{"https://example.com/" + strings.Repeat("a", 2100), "", "too long"},
		{"http://exa mple.com", "", "invalid url"},
	}
	for _, tt := range tests {
		u, err := normalizeURL(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("%q: got %v %v, want %q", tt.in, u, err, tt.want)
		}
	}
	env := newTestEnv(t)
	mustErr(t, call(t, env, "WebFetch", map[string]any{"url": "https://example.com"}), "prompt is required")
	mustErr(t, call(t, env, "WebFetch", map[string]any{"url": "https://example.com", "prompt": " "}), "prompt is required")
}
