package htmlmd

import (
	"net/url"
	"strings"
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestConvert(t *testing.T) {
	base, _ := url.Parse("https://example.com/docs/page.html")
	tests := []struct {
		name, html, want string
	}{
		{"headings and paragraphs", `<h1>Title</h1><p>Some   <b>bold</b> and <em>soft</em>
text.</p><h3>Sub</h3><p>More</p>`, "# Title\n\nSome **bold** and *soft* text.\n\n### Sub\n\nMore"},
		{"links resolved", `<p>See <a href="../api">the API</a>, <a href="#top">top</a> and <a href="javascript:void(0)">js</a>.</p>`,
			"See [the API](https://example.com/api), top and js."},
		{"images", `<p><img src="/a.png" alt="A diagram"><img src="data:image/png;base64,xx" alt="inline"></p>`,
			"![A diagram](https://example.com/a.png)![inline]"},
		{"code", "<p>Use <code>go test</code>.</p><pre><code class=\"language-go\">func main() {\n\tfmt.Println(\"hi\")\n}\n</code></pre>",
			"Use `go test`.\n\n```go\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n```"},
		{"code with backticks", "<pre>a ```b```</pre><p><code>x`y</code></p>", "````\na ```b```\n````\n\n`` x`y ``"},
		{"lists", `<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><ol><li>first</li><li>second</li></ol>`,
			"- one\n- two\n  - nested\n\n1. first\n2. second"},
		{"blockquote", `<blockquote><p>quoted</p><p>twice</p></blockquote>`, "> quoted\n>\n> twice"},
		{"table", `<table><tr><th>Name</th><th>Value</th></tr><tr><td>a|b</td><td>1</td></tr><tr><td>c</td></tr></table>`,
			"| Name | Value |\n| --- | --- |\n| a\\|b | 1 |\n| c |  |"},
		{"line breaks and rules", `<p>a<br>b</p><hr><p>c</p>`, "a\nb\n\n---\n\nc"},
		{"noise dropped", `<script>x()</script><style>p{}</style><nav>menu</nav><p>body</p><button>Click</button><form><input value="v"><p>in form</p></form>`,
			"body\n\nin form"},
		{"main preferred", `<body><div>header junk</div><main><p>content</p></main><footer>foot</footer></body>`, "content"},
		{"single article preferred", `<body><div>side</div><article><h2>Post</h2></article></body>`, "## Post"},
		{"divs as blocks", `<div>one</div><div>two <span>three</span></div>`, "one\n\ntwo three"},
		{"definition list", `<dl><dt>term</dt><dd>meaning</dd></dl>`, "**term**\n\n: meaning"},
		{"entities", `<p>a &amp; b &lt;c&gt; &nbsp;d</p>`, "a & b <c> \u00a0d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := Convert(strings.NewReader(tt.html), base)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	_, title, err := Convert(strings.NewReader("<html><head><title> The\n Page </title></head><body>x</body></html>"), nil)
	if err != nil || title != "The Page" {
		t.Fatalf("%q %v", title, err)
	}
}

func FuzzConvert(f *testing.F) {
	f.Add("<p>a<b>b</p><ul><li><table><tr><td><pre>x</pre></td></tr></table></li></ul>")
	f.Add("<a href='%zz'>x</a><img src=':'>")
	f.Fuzz(func(t *testing.T, doc string) {
		base, _ := url.Parse("https://example.com/")
		if _, _, err := Convert(strings.NewReader(doc), base); err != nil {
			t.Skip()
		}
	})
}
