package tui

import (
	"strings"
	"testing"
)

// TestResumeAtStart opens a finished session again as ganban -r ID and as ganban -r (the
// picker): both open that session and show its history, diff included.
func TestResumeAtStart(t *testing.T) {
	first := newLiveModel(t, liveConfig{scenario: renameScenario})
	first.rename()
	id := first.info.SessionID
	first.live.closeAll()

	byID := newLiveModel(t, liveConfig{scenario: renameScenario, home: first.home, dir: first.dir, resume: id})
	s := byID.screen()
	for _, want := range []string{"please rename old", "Renamed the function.", "+func renamed() {}", "Resumed"} {
		if !strings.Contains(s, want) {
			t.Errorf("-r %s: the screen lacks %q:\n%s", id, want, s)
		}
	}
	if byID.info.SessionID != id {
		t.Errorf("-r %s opened session %s", id, byID.info.SessionID)
	}
	byID.live.closeAll()

	picked := newLiveModel(t, liveConfig{scenario: renameScenario, home: first.home, dir: first.dir, pick: true})
	s = picked.waitFor("Resume a session", id[:8])
	if picked.picker == nil {
		t.Fatalf("-r without an ID shows no picker:\n%s", s)
	}
	picked.run(picked.key(keyMsg("enter")))
	s = picked.waitFor("Resumed", "please rename old", "+func renamed() {}")
	if picked.info.SessionID != id {
		t.Errorf("the picker opened session %s, want %s", picked.info.SessionID, id)
	}
	checkFits(t, s, picked.width, picked.height)
}
