// Package e2e drives the real ganban binary against the Bedrock simulator on loopback: each
// credential path of the setup guide, the region and model rules, print mode's outputs, and
// the doctor, models and iam-policy commands.
package e2e

import (
	"testing"

	"ganban/internal/testenv"
)

var ganbanBin string

func TestMain(m *testing.M) { testenv.MainWithGanban(m, &ganbanBin) }
