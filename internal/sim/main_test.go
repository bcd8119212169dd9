package sim_test

import (
	"testing"

	"ganban/internal/testenv"
)

// ganbanBin is cmd/ganban, for the tests of the `ganban sim` command itself.
var ganbanBin string

func TestMain(m *testing.M) { testenv.MainWithGanban(m, &ganbanBin) }
