package sim_test

import (
	"os"
	"testing"

	"ganban/internal/sim"
)

// TestREADMEExamplesParse keeps the files the README's example uses valid.
func TestREADMEExamplesParse(t *testing.T) {
	if _, err := sim.LoadScenario("../../examples/sim/scenario.json", map[string]string{"cwd": "/src"}); err != nil {
		t.Error(err)
	}
	data, err := os.ReadFile("../../examples/sim/auth.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.ParseAuthConfig(data); err != nil {
		t.Error(err)
	}
}
