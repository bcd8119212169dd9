package trust

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTrustCoversTheFolderAndWhatIsBelowIt(t *testing.T) {
	home := t.TempDir()
	src := filepath.Join(t.TempDir(), "src")
	if Trusted(home, src) {
		t.Fatal("trusted before anything was added")
	}
	if err := Add(home, src+"/"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		folder string
		want   bool
	}{
		{src, true},
		{filepath.Join(src, "repo", "pkg"), true},
		{filepath.Dir(src), false},
		{src + "-other", false},
		{"/", false},
	}
	for _, tt := range tests {
		if got := Trusted(home, tt.folder); got != tt.want {
			t.Errorf("Trusted(%s) = %v, want %v", tt.folder, got, tt.want)
		}
	}
	// A broken store trusts nothing, and is replaced by the next Add.
	os.WriteFile(filepath.Join(home, fileName), []byte("{broken"), 0o600)
	if Trusted(home, src) {
		t.Error("a broken store trusted a folder")
	}
	if err := Add(home, src); err != nil || !Trusted(home, src) {
		t.Errorf("Add after a broken store: %v", err)
	}
}
