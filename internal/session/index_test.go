package session

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"ganban/internal/anthropic"
)

// TestListAgreesWithReadAndRereadsOnlyChanges: a listing gives what reading each transcript
// would (title, prompts, cost, last activity), and reads a transcript again only when its
// size or time changed.
func TestListAgreesWithReadAndRereadsOnlyChanges(t *testing.T) {
	dir := t.TempDir()
	for i, id := range []string{"s-a", "s-b", "s-c"} {
		w, err := Create(dir, id, Meta{})
		if err != nil {
			t.Fatal(err)
		}
		w.User(userMsg("read main.go"), false)
		w.Assistant(answer("m1", anthropic.Block{Type: "tool_use", ID: "t1", Name: "Read", Input: []byte(`{}`)}), "r1", 0.25)
		w.User(anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.ToolResult("t1", "x", false)}}, true)
		w.Request(PurposeTitle, answer("m2"), "r2", 0.125)
		w.Assistant(answer("m3", anthropic.Text("done")), "r3", 0.5)
		for range i {
			w.User(userMsg("again"), false)
		}
		if i > 0 {
			w.Title("Title " + id)
		}
		w.Close()
	}
	os.WriteFile(filepath.Join(dir, "s-b.jsonl"), append(mustRead(t, filepath.Join(dir, "s-b.jsonl")), "{broken\n"...), 0o644)

	check := func() []Summary {
		t.Helper()
		all, err := List(dir)
		if err != nil || len(all) != 3 {
			t.Fatalf("List = %+v, %v", all, err)
		}
		for _, s := range all {
			tr, err := Read(s.Path)
			if err != nil {
				t.Fatal(err)
			}
			if s.ID != tr.ID || s.Title != tr.Title || s.Turns != tr.Turns || s.CostUSD != tr.CostUSD || !s.Updated.Equal(tr.Updated) {
				t.Errorf("listed %+v, read %q %q %d %v %v", s, tr.ID, tr.Title, tr.Turns, tr.CostUSD, tr.Updated)
			}
		}
		return all
	}
	check()
	if _, err := os.Stat(filepath.Join(dir, indexFile)); err != nil {
		t.Fatalf("no index written: %v", err)
	}

	// Same size and time: the index answers, even though the bytes changed under it.
	path := filepath.Join(dir, "s-a.jsonl")
	fi, _ := os.Stat(path)
	data := mustRead(t, path)
	garbage := make([]byte, len(data))
	for i := range garbage {
		garbage[i] = ' '
	}
	os.WriteFile(path, garbage, 0o644)
	os.Chtimes(path, fi.ModTime(), fi.ModTime())
	all, _ := List(dir)
	if s := find(all, "s-a"); s.Turns != 1 || s.CostUSD != 0.875 {
		t.Errorf("an unchanged transcript was read again: %+v", s)
	}
	// A newer time: read again.
	os.WriteFile(path, data, 0o644)
	os.Chtimes(path, fi.ModTime().Add(time.Second), fi.ModTime().Add(time.Second))
	w, _, err := Append(path, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	w.User(userMsg("one more"), false)
	w.Close()
	check()

	// A broken index is rebuilt; a deleted transcript leaves it.
	os.WriteFile(filepath.Join(dir, indexFile), []byte("{not json"), 0o644)
	check()
	os.Remove(filepath.Join(dir, "s-c.jsonl"))
	if all, _ := List(dir); len(all) != 2 {
		t.Errorf("after a delete: %+v", all)
	}
	if idx := loadIndex(dir); len(idx.entries) != 2 {
		t.Errorf("index keeps %d entries, want 2", len(idx.entries))
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func find(all []Summary, id string) Summary {
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	return Summary{}
}

// BenchmarkList lists 100 sessions of about a megabyte each (long sessions with file
// contents in their tool results), as ganban -c and /resume do: with the index warm, with
// no index (every transcript scanned), and reading each in full as listing did before.
func BenchmarkList(b *testing.B) {
	dir := b.TempDir()
	big := anthropic.ToolResult("t1", stringOf('x', 20<<10), false)
	for i := range 100 {
		w, err := Create(dir, "s-"+itoa(i), Meta{})
		if err != nil {
			b.Fatal(err)
		}
		for range 25 {
			w.User(userMsg("read it"), false)
			w.Assistant(answer("m", anthropic.Block{Type: "tool_use", ID: "t1", Name: "Read", Input: []byte(`{}`)}), "r", 0.01)
			w.User(anthropic.Message{Role: "user", Content: []anthropic.Block{big, big}}, true)
		}
		w.Close()
	}
	list := func(b *testing.B) {
		if all, err := List(dir); err != nil || len(all) != 100 {
			b.Fatal(len(all), err)
		}
	}
	b.Run("warm index", func(b *testing.B) {
		list(b)
		for b.Loop() {
			list(b)
		}
	})
	b.Run("no index", func(b *testing.B) {
		for b.Loop() {
			os.Remove(filepath.Join(dir, indexFile))
			list(b)
		}
	})
	b.Run("read each", func(b *testing.B) {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		for b.Loop() {
			for _, p := range paths {
				if _, err := Read(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

func stringOf(c byte, n int) string {
	s := make([]byte, n)
	for i := range s {
		s[i] = c
	}
	return string(s)
}

func itoa(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }
