package permission

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentUse adds session rules and switches modes from many goroutines while others
// check; run with -race. Every rule added is in force once its AllowForSession returns.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{allow: []string{"Bash(go vet:*)"}, deny: []string{"Bash(rm:*)"}})
	const writers, checkers, perWriter = 8, 8, 50
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range checkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if d := c.Check(bash("go vet ./... && rm -rf /")); d.Behavior != Deny {
					t.Errorf("checker %d: %s", i, d.Behavior)
					return
				}
				c.Check(bash(fmt.Sprintf("tool%d-%d run", i, n%perWriter)))
				c.Check(file("Write", testWork+"/a.go"))
				if n%10 == 0 {
					c.SetMode([]Mode{Default, AcceptEdits}[n/10%2])
				}
			}
		}()
	}
	var added sync.WaitGroup
	for w := range writers {
		added.Add(1)
		go func() {
			defer added.Done()
			for n := range perWriter {
				cmd := fmt.Sprintf("tool%d-%d run", w, n)
				c.AllowForSession(Suggest(bash(cmd)))
				if d := c.Check(bash(cmd)); d.Behavior != Allow {
					t.Errorf("%q right after AllowForSession: %s (%s)", cmd, d.Behavior, d.Reason)
				}
			}
		}()
	}
	added.Wait()
	close(stop)
	wg.Wait()
	c.SetMode(Default)
	for w := range writers {
		for n := range perWriter {
			cmd := fmt.Sprintf("tool%d-%d run --flag", w, n)
			if d := c.Check(bash(cmd)); d.Behavior != Allow {
				t.Errorf("%q: %s", cmd, d.Behavior)
			}
		}
	}
}
