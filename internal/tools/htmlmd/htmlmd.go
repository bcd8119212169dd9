// Package htmlmd converts HTML pages to Markdown for a model to read: headings, paragraphs,
// links, lists, code blocks, quotes and tables survive; scripts, styles, navigation and form
// controls do not. When a page marks its main content (<main>, or a single <article>), only
// that is converted, which drops the menus and footers around it.
package htmlmd

import (
	"io"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Convert parses an HTML document and returns its main content as Markdown, and its title.
// base, when not nil, resolves relative links and image sources.
func Convert(r io.Reader, base *url.URL) (markdown, title string, err error) {
	doc, err := html.Parse(r)
	if err != nil {
		return "", "", err
	}
	c := &converter{base: base}
	if t := find(doc, atom.Title); t != nil {
		title = strings.TrimSpace(collapse(textOf(t)))
	}
	root := find(doc, atom.Main)
	if root == nil {
		if arts := findAll(doc, atom.Article); len(arts) == 1 {
			root = arts[0]
		}
	}
	if root == nil {
		root = find(doc, atom.Body)
	}
	if root == nil {
		root = doc
	}
	md := c.blocks(root)
	return tidy(md), title, nil
}

type converter struct {
	base *url.URL
}

// skipped elements carry no readable content.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Canvas: true, atom.Iframe: true, atom.Head: true, atom.Nav: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Option: true, atom.Textarea: true, atom.Object: true,
	atom.Embed: true, atom.Audio: true, atom.Video: true, atom.Map: true, atom.Dialog: true,
}

// blockElems start a new block.
var blockElems = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Figure: true, atom.Figcaption: true,
	atom.Details: true, atom.Summary: true, atom.Address: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Pre: true, atom.Ul: true,
	atom.Ol: true, atom.Li: true, atom.Blockquote: true, atom.Table: true, atom.Hr: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Form: true, atom.Fieldset: true,
	atom.Body: true, atom.Html: true, atom.Center: true,
}

func isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && blockElems[n.DataAtom]
}

// blocks renders the children of n as Markdown blocks separated by blank lines. Runs of
// inline children form paragraphs.
func (c *converter) blocks(n *html.Node) string {
	var out []string
	var para strings.Builder
	flush := func() {
		if p := cleanInline(para.String()); p != "" {
			out = append(out, p)
		}
		para.Reset()
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && skipped[ch.DataAtom] {
			continue
		}
		if isBlock(ch) {
			flush()
			if b := strings.TrimRight(c.block(ch), " \n"); strings.TrimSpace(b) != "" {
				out = append(out, b)
			}
			continue
		}
		para.WriteString(c.inline(ch))
	}
	flush()
	return strings.Join(out, "\n\n")
}

// block renders one block element.
func (c *converter) block(n *html.Node) string {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := int(n.Data[1] - '0')
		text := strings.ReplaceAll(cleanInline(c.inlineChildren(n)), "\n", " ")
		if text == "" {
			return ""
		}
		return strings.Repeat("#", level) + " " + text
	case atom.Hr:
		return "---"
	case atom.Pre:
		return c.pre(n)
	case atom.Ul, atom.Ol:
		return c.list(n)
	case atom.Blockquote:
		inner := c.blocks(n)
		if inner == "" {
			return ""
		}
		lines := strings.Split(inner, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight("> "+l, " ")
		}
		return strings.Join(lines, "\n")
	case atom.Table:
		return c.table(n)
	case atom.Dt:
		if t := cleanInline(c.inlineChildren(n)); t != "" {
			return "**" + t + "**"
		}
		return ""
	case atom.Dd:
		inner := c.blocks(n)
		if inner == "" {
			return ""
		}
		return ": " + indent(inner, "  ")
	}
	return c.blocks(n)
}

// pre renders preformatted text as a fenced code block.
func (c *converter) pre(n *html.Node) string {
	code := textOf(n)
	code = strings.TrimSuffix(strings.TrimPrefix(code, "\n"), "\n")
	lang := language(n)
	if code := find(n, atom.Code); code != nil && lang == "" {
		lang = language(code)
	}
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	return fence + lang + "\n" + code + "\n" + fence
}

var langClass = regexp.MustCompile(`(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)`)

func language(n *html.Node) string {
	if m := langClass.FindStringSubmatch(attr(n, "class")); m != nil {
		return m[1]
	}
	return ""
}

// list renders ul and ol; nested lists are indented under their item.
func (c *converter) list(n *html.Node) string {
	ordered := n.DataAtom == atom.Ol
	num := 1
	var items []string
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		var body string
		if li.DataAtom == atom.Li {
			body = c.itemBody(li)
		} else if isBlock(li) {
			body = c.block(li)
		} else {
			body = cleanInline(c.inline(li))
		}
		if strings.TrimSpace(body) == "" {
			continue
		}
		marker := "- "
		if ordered {
			marker = itoa(num) + ". "
			num++
		}
		items = append(items, marker+indent(body, strings.Repeat(" ", len(marker))))
	}
	return strings.Join(items, "\n")
}

// itemBody renders a list item; its blocks are kept tight (no blank lines) unless the item
// holds paragraphs.
func (c *converter) itemBody(li *html.Node) string {
	body := c.blocks(li)
	if find(li, atom.P) == nil {
		body = strings.ReplaceAll(body, "\n\n", "\n")
	}
	return body
}

// table renders a table in GitHub's pipe syntax, the first row as the header.
func (c *converter) table(n *html.Node) string {
	var rows [][]string
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.DataAtom {
			case atom.Tr:
				var row []string
				for cell := ch.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.Type == html.ElementNode && (cell.DataAtom == atom.Td || cell.DataAtom == atom.Th) {
						t := cleanInline(c.inlineChildren(cell))
						t = strings.ReplaceAll(strings.ReplaceAll(t, "\n", " "), "|", `\|`)
						row = append(row, t)
					}
				}
				if len(row) > 0 {
					rows = append(rows, row)
				}
			case atom.Table:
				// A nested table is flattened into its cell's text elsewhere; skip it here.
			default:
				walk(ch)
			}
		}
	}
	walk(n)
	if len(rows) == 0 {
		return ""
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < cols {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	if cap := find(n, atom.Caption); cap != nil {
		if t := cleanInline(c.inlineChildren(cap)); t != "" {
			return t + "\n\n" + strings.TrimRight(b.String(), "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// inlineChildren renders the children of n as inline text.
func (c *converter) inlineChildren(n *html.Node) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		b.WriteString(c.inline(ch))
	}
	return b.String()
}

// inline renders a node inside a paragraph. Block elements met here (a div inside a link)
// contribute their text, separated by spaces.
func (c *converter) inline(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return collapse(n.Data)
	case html.ElementNode:
	default:
		return ""
	}
	if skipped[n.DataAtom] {
		return ""
	}
	switch n.DataAtom {
	case atom.Br:
		return "\n"
	case atom.A:
		text := strings.TrimSpace(c.inlineChildren(n))
		href := strings.TrimSpace(attr(n, "href"))
		if text == "" {
			return ""
		}
		if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			return text
		}
		return "[" + text + "](" + c.resolve(href) + ")"
	case atom.Img:
		alt := collapse(attr(n, "alt"))
		src := strings.TrimSpace(attr(n, "src"))
		if src == "" || strings.HasPrefix(src, "data:") {
			if alt == "" {
				return ""
			}
			return "![" + alt + "]"
		}
		return "![" + alt + "](" + c.resolve(src) + ")"
	case atom.Strong, atom.B:
		return wrap(c.inlineChildren(n), "**")
	case atom.Em, atom.I:
		return wrap(c.inlineChildren(n), "*")
	case atom.Del, atom.S, atom.Strike:
		return wrap(c.inlineChildren(n), "~~")
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		t := textOf(n)
		if strings.TrimSpace(t) == "" {
			return t
		}
		t = collapse(t)
		fence := "`"
		if strings.Contains(t, "`") {
			fence = "``"
			t = " " + t + " "
		}
		return fence + t + fence
	}
	s := c.inlineChildren(n)
	if isBlock(n) {
		return " " + s + " "
	}
	return s
}

// wrap puts a marker around text, keeping its surrounding spaces outside the marker, as
// Markdown requires.
func wrap(s, marker string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	lead := s[:strings.Index(s, t)]
	trail := s[len(lead)+len(t):]
	return lead + marker + t + marker + trail
}

func (c *converter) resolve(ref string) string {
	if c.base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return c.base.ResolveReference(u).String()
}

var spaces = regexp.MustCompile(`[ \t\n\r\f\v]+`)

// collapse turns runs of whitespace into one space, as a browser renders text.
func collapse(s string) string { return spaces.ReplaceAllString(s, " ") }

var (
	multiSpace  = regexp.MustCompile(` {2,}`)
	spaceAround = regexp.MustCompile(` *\n *`)
	blankLines  = regexp.MustCompile(`\n{3,}`)
)

// cleanInline tidies a paragraph: single spaces, none around hard line breaks, none at the
// ends.
func cleanInline(s string) string {
	s = multiSpace.ReplaceAllString(s, " ")
	s = spaceAround.ReplaceAllString(s, "\n")
	return strings.Trim(s, " \n")
}

// tidy removes runs of blank lines and trailing spaces.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// indent indents every line of s after the first.
func indent(s, pad string) string {
	return strings.ReplaceAll(s, "\n", "\n"+pad)
}

// textOf returns all the text under n, as is.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		if x.Type == html.ElementNode && x.DataAtom == atom.Br {
			b.WriteByte('\n')
		}
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the first element under n (n included) with the given atom.
func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if f := find(ch, a); f != nil {
			return f
		}
	}
	return nil
}

func findAll(n *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode && x.DataAtom == a {
			out = append(out, x)
			return
		}
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
