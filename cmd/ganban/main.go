// Command ganban is a terminal coding agent for Claude on Amazon Bedrock. This package only
// wires flags to the packages under internal/.
package main

import (
	"os"
)

func main() {
	os.Exit(execute(os.Args[1:]))
}
