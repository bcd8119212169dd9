package permission

import (
	"strings"
	"testing"
	"time"
)

// TestHostileInputsStayCheap: long or deeply nested command lines are judged quickly.
func TestHostileInputsStayCheap(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{allow: []string{"Bash(npm run test:*)"}, deny: []string{"Bash(rm:*)", "Read(**/x)"}})
	nest := "npm run test"
	for range 12 {
		nest = "bash -c " + quoteIfNeeded(nest)
	}
	inputs := map[string]string{
		"braces":      strings.Repeat("{", 60000),
		"brace pairs": "echo " + strings.Repeat("{a,", 20000),
		"substs":      strings.Repeat("$(", 5000) + strings.Repeat(")", 5000),
		"list":        strings.Repeat("npm run test; ", 4000),
		"pipes":       strings.Repeat("npm run test | ", 4000) + "npm run test",
		"nested":      nest,
		"wrappers":    strings.Repeat("time nohup ", 3000) + "npm run test",
		"evals":       strings.Repeat("eval ", 5000) + "npm run test",
		"long word":   "npm run test " + strings.Repeat("a", 60000),
		"too long":    strings.Repeat("a", maxCommandLen+1),
		"stars":       "npm run test " + strings.Repeat("*", 30000),
	}
	for name, cmd := range inputs {
		start := time.Now()
		d := c.Check(bash(cmd))
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: %v", name, el)
		}
		if d.Reason == "" {
			t.Errorf("%s: no reason", name)
		}
		if testing.Verbose() {
			t.Logf("%-12s %s %v", name, d.Behavior, time.Since(start))
		}
	}
}
