package sim

import "os"

func writeFileBytes(p string, b []byte) error { return os.WriteFile(p, b, 0o600) }
