package tools

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ganban/internal/anthropic"
)

func TestRead(t *testing.T) {
	env := newTestEnv(t)
	dir := env.WorkDir
	var long strings.Builder
	for i := 1; i <= 2500; i++ {
		fmt.Fprintf(&long, "line %d\n", i)
	}
	writeFile(t, filepath.Join(dir, "small.go"), "package main\n\nfunc main() {}\n")
	writeFile(t, filepath.Join(dir, "long.txt"), long.String())
	writeFile(t, filepath.Join(dir, "crlf.txt"), "a\r\nb\r\n")
	writeFile(t, filepath.Join(dir, "bom.txt"), utf8BOM+"first\nsecond")
	writeFile(t, filepath.Join(dir, "empty.txt"), "")
	writeFile(t, filepath.Join(dir, "wide.txt"), strings.Repeat("x", 3000)+"\nshort\n")
	writeFile(t, filepath.Join(dir, "bin.dat2"), "ELF\x00\x01\x02")
	writeFile(t, filepath.Join(dir, "doc.pdf"), "%PDF-1.4 text-looking start")
	writeFile(t, filepath.Join(dir, "Config.yaml"), "a: 1\n")
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)

	tests := []struct {
		name    string
		input   map[string]any
		wantErr bool
		want    []string // substrings of the text
		notWant []string
	}{
		{"cat -n format", map[string]any{"file_path": filepath.Join(dir, "small.go")}, false,
			[]string{"     1\tpackage main\n", "     2\t\n", "     3\tfunc main() {}\n"}, []string{"Showing"}},
		{"relative path resolves against WorkDir", map[string]any{"file_path": "small.go"}, false, []string{"package main"}, nil},
		{"default limit 2000 with note", map[string]any{"file_path": filepath.Join(dir, "long.txt")}, false,
			[]string{"  2000\tline 2000\n", "Showing lines 1-2000 of 2500", "offset 2001"}, []string{"line 2001\n"}},
		{"offset and limit", map[string]any{"file_path": filepath.Join(dir, "long.txt"), "offset": 2490, "limit": 5}, false,
			[]string{"  2490\tline 2490\n", "  2494\tline 2494\n", "Showing lines 2490-2494 of 2500", "offset 2495"}, []string{"line 2495\n"}},
		{"offset to the end", map[string]any{"file_path": filepath.Join(dir, "long.txt"), "offset": 2499}, false,
			[]string{"  2500\tline 2500\n"}, []string{"Showing"}},
		{"offset past end", map[string]any{"file_path": filepath.Join(dir, "small.go"), "offset": 50}, false,
			[]string{"only 3 lines", "offset 50"}, nil},
		{"CR hidden", map[string]any{"file_path": filepath.Join(dir, "crlf.txt")}, false, []string{"     1\ta\n     2\tb\n"}, []string{"\r"}},
		{"BOM hidden", map[string]any{"file_path": filepath.Join(dir, "bom.txt")}, false, []string{"     1\tfirst\n     2\tsecond\n"}, []string{utf8BOM}},
		{"empty file", map[string]any{"file_path": filepath.Join(dir, "empty.txt")}, false, []string{"exists but is empty"}, nil},
		{"long line cut", map[string]any{"file_path": filepath.Join(dir, "wide.txt")}, false,
			[]string{"[line truncated]", "     2\tshort", "1 line(s) longer than 2000"}, []string{strings.Repeat("x", 2001)}},
		{"binary by content", map[string]any{"file_path": filepath.Join(dir, "bin.dat2")}, true, []string{"binary file"}, nil},
		{"binary by extension", map[string]any{"file_path": filepath.Join(dir, "doc.pdf")}, true, []string{"binary file (.pdf)"}, nil},
		{"directory", map[string]any{"file_path": filepath.Join(dir, "sub")}, true, []string{"is a directory", "LS"}, nil},
		{"missing file", map[string]any{"file_path": filepath.Join(dir, "nope.txt")}, true, []string{"File does not exist"}, nil},
		{"missing file with suggestion", map[string]any{"file_path": filepath.Join(dir, "config.yaml")}, true, []string{"Did you mean", "Config.yaml"}, nil},
		{"missing dir", map[string]any{"file_path": filepath.Join(dir, "x", "y.txt")}, true, []string{"directory does not exist"}, nil},
		{"missing file_path", map[string]any{}, true, []string{"file_path is required"}, nil},
		{"negative offset", map[string]any{"file_path": "small.go", "offset": -1}, true, []string{"offset must be at least 0"}, nil},
		{"zero limit", map[string]any{"file_path": "small.go", "limit": 0}, true, []string{"limit must be at least 1"}, nil},
		{"string limit", map[string]any{"file_path": "small.go", "limit": "abc"}, true, []string{"limit must be a number"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, env, "Read", tt.input)
			if r.IsError != tt.wantErr {
				t.Fatalf("IsError = %v: %s", r.IsError, r.Text())
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Text(), w) {
					t.Errorf("missing %q in:\n%s", w, head(r.Text()))
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(r.Text(), w) {
					t.Errorf("unexpected %q in:\n%s", w, head(r.Text()))
				}
			}
		})
	}
	// Reads are recorded, partial ones as partial.
	st, ok := env.Files.Get(filepath.Join(dir, "crlf.txt"))
	if !ok || st.Partial || st.Size != int64(len("a\r\nb\r\n")) {
		t.Errorf("crlf.txt state %+v %v", st, ok)
	}
	if st, ok := env.Files.Get(filepath.Join(dir, "long.txt")); !ok || !st.Partial {
		t.Errorf("long.txt state %+v %v", st, ok)
	}
	if _, ok := env.Files.Get(filepath.Join(dir, "bin.dat2")); ok {
		t.Error("a refused binary file was recorded as read")
	}
}

func head(s string) string {
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}

func TestReadOutputCap(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "big.txt")
	line := strings.Repeat("y", 1500) + "\n"
	writeFile(t, p, strings.Repeat(line, 1000)) // 1.5 MB in 1000 lines: over the byte cap
	text := mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
	if len(text) > maxReadBytes+2000 {
		t.Fatalf("output %d bytes, cap %d", len(text), maxReadBytes)
	}
	if !strings.Contains(text, "output size limit reached") || !strings.Contains(text, "of 1000") {
		t.Fatalf("no continuation note: %s", text[len(text)-300:])
	}
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadImage(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "shot.png")
	data := pngBytes(t, 40, 30)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := call(t, env, "Read", map[string]any{"file_path": p})
	mustOK(t, r)
	if len(r.Content) != 1 || r.Content[0].Type != anthropic.BlockImage {
		t.Fatalf("content %+v", r.Content)
	}
	src := r.Content[0].Source
	if src.Type != "base64" || src.MediaType != "image/png" {
		t.Fatalf("source %+v", src)
	}
	if got, _ := base64.StdEncoding.DecodeString(src.Data); !bytes.Equal(got, data) {
		t.Fatal("image data changed")
	}
	if _, ok := env.Files.Get(p); !ok {
		t.Error("image read not recorded")
	}

	// A file named .png that is not an image.
	fake := filepath.Join(env.WorkDir, "fake.png")
	writeFile(t, fake, "just text")
	mustErr(t, call(t, env, "Read", map[string]any{"file_path": fake}), "not a PNG, JPEG, GIF or WebP")
}

func TestImageDownscale(t *testing.T) {
	data := pngBytes(t, 9000, 20) // wider than the API's 8000 pixels
	b, note, err := imageBlock(data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "scaled down") {
		t.Fatalf("note %q", note)
	}
	raw, _ := base64.StdEncoding.DecodeString(b.Source.Data)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width > imageTargetSide || b.Source.MediaType != "image/jpeg" {
		t.Fatalf("scaled to %dx%d %s", cfg.Width, cfg.Height, b.Source.MediaType)
	}
}
