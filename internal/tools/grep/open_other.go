//go:build !unix

package grep

import (
	"io"
	"os"
)

func openFile(path string) (io.ReadCloser, error) { return os.Open(path) }
