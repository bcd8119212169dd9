package main

import (
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
