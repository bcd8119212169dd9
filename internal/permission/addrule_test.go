package permission

import (
	"sync"
	"testing"
)

// TestAddRule: a rule added to a running checker counts from the next call on, like one
// from the settings, and adding while others check is safe.
func TestAddRule(t *testing.T) {
	c := newTestChecker(t, Default, rules{allow: []string{"Bash(npm test:*)"}})
	tests := []struct {
		behavior Behavior
		rule     string
		req      Request
	}{
		{Deny, "Bash(npm test:*)", bash("npm test -- --watch")},
		{Ask, "Read(./docs/**)", file("Read", testWork+"/docs/a.md")},
		{Allow, "Bash(make build)", bash("make build")},
		{Deny, "Read(./.env)", file("Read", testWork+"/.env")},
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				c.Check(bash("npm test"))
				c.ReadDenied(testWork + "/.env")
				c.DeniesTool("Bash")
			}
		}
	}()
	for _, tt := range tests {
		if got := c.Check(tt.req).Behavior; got == tt.behavior {
			t.Fatalf("%v already %v before the rule was added", tt.req, got)
		}
		if err := c.AddRule(tt.behavior, mustRules(t, []string{tt.rule})[0]); err != nil {
			t.Fatal(err)
		}
		if got := c.Check(tt.req).Behavior; got != tt.behavior {
			t.Errorf("after adding %s: %v is %v, want %v", tt.rule, tt.req, got, tt.behavior)
		}
	}
	close(stop)
	wg.Wait()
	if !c.ReadDenied(testWork + "/.env") {
		t.Error("an added Read deny rule does not hide the file from searches")
	}
}
