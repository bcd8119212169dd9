package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"ganban/internal/tools/htmlmd"
)

// WebFetch limits: the largest body read, the time for the whole fetch, the redirects
// followed, the longest URL accepted and the most Markdown returned to the model.
const (
	maxFetchBytes     = 10 << 20
	fetchTimeout      = 30 * time.Second
	maxFetchRedirects = 10
	maxURLLength      = 2000
	maxFetchChars     = 100000
)

type webFetchInput struct {
	URL    string `json:"url" format:"uri" description:"The URL to fetch content from"`
	Prompt string `json:"prompt" description:"The prompt to run on the fetched content"`
}

const webFetchDescription = `Fetches content from a URL and returns it as Markdown, together with your prompt, so you can answer the prompt from the page.

- Takes a URL and a prompt describing what to extract or answer from the page.
- HTML is converted to Markdown; plain text, Markdown and JSON are returned as they are. Very long pages are cut short.
- HTTP URLs are upgraded to HTTPS (except for localhost).
- The URL must be a fully formed, valid URL. It is read-only and changes nothing.
- When a URL redirects to a different host, the result says so and gives the redirect URL: call WebFetch again with that URL to fetch it.
- If a more specialised tool for fetching is available (for example an MCP tool), prefer it.`

// WebFetchTool returns the WebFetch tool.
func WebFetchTool() Tool {
	return New("WebFetch", webFetchDescription, true, webFetchTarget, runWebFetch)
}

// normalizeURL checks a URL from the model and upgrades http to https, except for loopback
// hosts, which are local test servers that rarely speak TLS.
func normalizeURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("WebFetch: url is required")
	}
	if len(raw) > maxURLLength {
		return nil, fmt.Errorf("WebFetch: url is too long (%d characters; the limit is %d)", len(raw), maxURLLength)
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("WebFetch: invalid url: %v", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("WebFetch: url must use http or https, not %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("WebFetch: url has no host")
	}
	if u.User != nil {
		return nil, errors.New("WebFetch: url must not contain a user name or password")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		u.Scheme = "https"
	}
	u.Fragment = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameHost reports whether a redirect stays on the host, allowing "www." to come or go.
func sameHost(a, b *url.URL) bool {
	strip := func(h string) string { return strings.TrimPrefix(strings.ToLower(h), "www.") }
	return strip(a.Hostname()) == strip(b.Hostname()) && a.Port() == b.Port()
}

func webFetchTarget(in webFetchInput, env *Env) (Target, error) {
	u, err := normalizeURL(in.URL)
	if err != nil {
		return Target{}, err
	}
	if strings.TrimSpace(in.Prompt) == "" {
		return Target{}, errors.New("WebFetch: prompt is required: say what to extract or answer from the page")
	}
	return Target{Kind: TargetFetch, URL: u.String(), Summary: "Fetch " + u.Host + u.EscapedPath(), Preview: u.String()}, nil
}

func runWebFetch(ctx context.Context, env *Env, in webFetchInput) Result {
	tg, err := webFetchTarget(in, env)
	if err != nil {
		return errorResult(err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	client := http.Client{}
	if env.HTTPClient != nil {
		client = *env.HTTPClient
	}
	var crossHost *url.URL
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxFetchRedirects {
			return fmt.Errorf("stopped after %d redirects", maxFetchRedirects)
		}
		// A redirect from https to plain http on a non-loopback host is upgraded back.
		if req.URL.Scheme == "http" && !isLoopback(req.URL.Hostname()) {
			req.URL.Scheme = "https"
		}
		if !sameHost(via[0].URL, req.URL) {
			crossHost = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tg.URL, nil)
	if err != nil {
		return errorResult(fmt.Sprintf("WebFetch: cannot build the request: %v", err))
	}
	req.Header.Set("User-Agent", "ganban-webfetch/1.0")
	req.Header.Set("Accept", "text/markdown, text/html;q=0.9, text/plain;q=0.8, application/json;q=0.7, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return errorResult(fmt.Sprintf("WebFetch: %s did not answer within %s.", tg.URL, fetchTimeout))
		}
		return errorResult(fmt.Sprintf("WebFetch: cannot fetch %s: %v", tg.URL, err))
	}
	defer resp.Body.Close()
	if crossHost != nil {
		return textResult(fmt.Sprintf("REDIRECT: %s redirects to a different host (HTTP %d):\n%s\nTo fetch it, call WebFetch again with this url and the same prompt.", tg.URL, resp.StatusCode, crossHost),
			"Redirected to "+crossHost.Host)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes+1))
	if err != nil {
		return errorResult(fmt.Sprintf("WebFetch: error reading %s: %v", tg.URL, err))
	}
	truncated := len(body) > maxFetchBytes
	if truncated {
		body = body[:maxFetchBytes]
	}
	final := resp.Request.URL
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet := strings.TrimSpace(string(body))
		if len(snippet) > 500 {
			snippet = truncateUTF8(snippet, 500) + "..."
		}
		return errorResult(fmt.Sprintf("WebFetch: %s answered HTTP %d %s.\n%s", final, resp.StatusCode, http.StatusText(resp.StatusCode), snippet))
	}
	ctype := resp.Header.Get("Content-Type")
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	media, _, _ := mime.ParseMediaType(ctype)
	var text, title string
	switch {
	case media == "text/html" || media == "application/xhtml+xml":
		r, err := charset.NewReader(bytes.NewReader(body), ctype)
		if err != nil {
			r = bytes.NewReader(body)
		}
		text, title, err = htmlmd.Convert(r, final)
		if err != nil {
			return errorResult(fmt.Sprintf("WebFetch: cannot convert the HTML of %s: %v", final, err))
		}
	case isTextual(media):
		r, err := charset.NewReader(bytes.NewReader(body), ctype)
		if err != nil {
			r = bytes.NewReader(body)
		}
		b, _ := io.ReadAll(r)
		text = string(b)
	default:
		return errorResult(fmt.Sprintf("WebFetch: %s is %s, not text, so it cannot be shown. Download it with Bash (curl -o) if you need the file.", final, media))
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	var notes []string
	if truncated {
		notes = append(notes, fmt.Sprintf("the page is larger than %d MB and was cut", maxFetchBytes>>20))
	}
	if len(text) > maxFetchChars {
		text = truncateUTF8(text, maxFetchChars)
		notes = append(notes, fmt.Sprintf("the content was cut to its first %d characters", maxFetchChars))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Content of %s", final)
	if final.String() != tg.URL {
		fmt.Fprintf(&b, " (redirected from %s)", tg.URL)
	}
	b.WriteString(":\n\n")
	if title != "" {
		fmt.Fprintf(&b, "Title: %s\n\n", title)
	}
	b.WriteString(strings.TrimSpace(text))
	if len(notes) > 0 {
		fmt.Fprintf(&b, "\n\n(Note: %s.)", strings.Join(notes, "; "))
	}
	fmt.Fprintf(&b, "\n\n---\nAnswer this prompt from the content above, concisely, quoting only what is needed:\n%s", in.Prompt)
	return textResult(b.String(), fmt.Sprintf("Fetched %s (%d KB)", final.Host, (len(body)+1023)/1024))
}

// isTextual reports whether a media type is text a model can read as is.
func isTextual(media string) bool {
	switch {
	case strings.HasPrefix(media, "text/"),
		media == "application/json", media == "application/xml", media == "application/javascript",
		media == "application/x-yaml", media == "application/yaml", media == "application/toml",
		strings.HasSuffix(media, "+json"), strings.HasSuffix(media, "+xml"):
		return true
	}
	return false
}
