// Package gen writes the file trees the benchmarks work on: a Go repository that reads like
// real code (for the cost session, whose token counts depend on what the files look like),
// and a large mixed tree for the search tools. Everything is seeded, so every run sees the
// same bytes.
package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// GoFile is one generated source file and an edit that applies to it exactly once.
type GoFile struct {
	Rel      string // slash-separated, relative to the repository
	Content  string
	Old, New string // a line to change and what it becomes
	Symbol   string // a function the file declares, for searches
}

var (
	pkgs   = []string{"store", "api", "auth", "config", "cache", "queue", "metrics", "worker", "billing", "notify"}
	nouns  = []string{"Order", "Invoice", "Customer", "Session", "Token", "Job", "Batch", "Event", "Account", "Payment", "Report", "Webhook"}
	verbs  = []string{"Load", "Save", "Validate", "Refresh", "Publish", "Resolve", "Apply", "Expire", "Render", "Sync"}
	fields = []struct{ name, typ string }{
		{"ID", "string"}, {"CreatedAt", "time.Time"}, {"UpdatedAt", "time.Time"}, {"Status", "string"},
		{"Amount", "int64"}, {"Currency", "string"}, {"Attempts", "int"}, {"Labels", "map[string]string"},
		{"Owner", "string"}, {"Deadline", "time.Duration"}, {"Retries", "int"}, {"Payload", "[]byte"},
	}
)

// GoRepo writes a module of n files under dir and returns them.
func GoRepo(dir string, n int, seed uint64) ([]GoFile, error) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var files []GoFile
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/shop\n\ngo 1.22\n"), 0o644); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		pkg := pkgs[i%len(pkgs)]
		noun := nouns[(i/len(pkgs)+i)%len(nouns)]
		f := goFile(rng, pkg, noun, i)
		path := filepath.Join(dir, filepath.FromSlash(f.Rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(f.Content), 0o644); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// goFile is a file of a service package: a doc comment, a struct, a store interface and
// methods with the error handling real code has. About 150-250 lines.
func goFile(rng *rand.Rand, pkg, noun string, i int) GoFile {
	var b strings.Builder
	lower := strings.ToLower(noun)
	fmt.Fprintf(&b, "// Package %s keeps %ss: loading, validating and saving them, with retries\n// around the backing store and metrics for every call.\npackage %s\n\n", pkg, lower, pkg)
	b.WriteString("import (\n\t\"context\"\n\t\"errors\"\n\t\"fmt\"\n\t\"sort\"\n\t\"strings\"\n\t\"sync\"\n\t\"time\"\n)\n\n")
	timeout := 10 + rng.IntN(50)
	old := fmt.Sprintf("const default%sTimeout = %d * time.Second", noun, timeout)
	fmt.Fprintf(&b, "// default%sTimeout bounds one call to the store; the caller's context may be shorter.\n%s\n\n", noun, old)
	fmt.Fprintf(&b, "// Err%sNotFound is returned when no %s has the requested ID.\nvar Err%sNotFound = errors.New(\"%s: %s not found\")\n\n", noun, lower, noun, pkg, lower)
	fmt.Fprintf(&b, "// %s is one %s as the store keeps it.\ntype %s struct {\n", noun, lower, noun)
	nf := 5 + rng.IntN(5)
	for k := 0; k < nf; k++ {
		fd := fields[(k+i)%len(fields)]
		fmt.Fprintf(&b, "\t%s %s `json:\"%s\"`\n", fd.name, fd.typ, strings.ToLower(fd.name[:1])+fd.name[1:])
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "// %sStore is what this package needs of the database.\ntype %sStore interface {\n\tGet(ctx context.Context, id string) (*%s, error)\n\tPut(ctx context.Context, v *%s) error\n\tList(ctx context.Context, owner string, limit int) ([]*%s, error)\n}\n\n", noun, noun, noun, noun, noun)
	fmt.Fprintf(&b, "// %sService wraps a store with validation, retries and a small cache.\ntype %sService struct {\n\tstore   %sStore\n\tmu      sync.Mutex\n\tcache   map[string]*%s\n\tretries int\n}\n\n", noun, noun, noun, noun)
	fmt.Fprintf(&b, "// New%sService returns a service over store.\nfunc New%sService(store %sStore) *%sService {\n\treturn &%sService{store: store, cache: map[string]*%s{}, retries: %d}\n}\n\n", noun, noun, noun, noun, noun, noun, 2+rng.IntN(4))
	nm := 4 + rng.IntN(4)
	var symbol string
	for k := 0; k < nm; k++ {
		verb := verbs[(k+i)%len(verbs)]
		name := verb + noun
		if k == 0 {
			symbol = name
		}
		switch k % 3 {
		case 0:
			fmt.Fprintf(&b, "// %s fetches a %s by id, from the cache when it is fresh.\nfunc (s *%sService) %s(ctx context.Context, id string) (*%s, error) {\n", name, lower, noun, name, noun)
			fmt.Fprintf(&b, "\tif id == \"\" {\n\t\treturn nil, fmt.Errorf(\"%s: empty id\")\n\t}\n\ts.mu.Lock()\n\tif v, ok := s.cache[id]; ok {\n\t\ts.mu.Unlock()\n\t\treturn v, nil\n\t}\n\ts.mu.Unlock()\n", strings.ToLower(name))
			fmt.Fprintf(&b, "\tctx, cancel := context.WithTimeout(ctx, default%sTimeout)\n\tdefer cancel()\n\tvar lastErr error\n\tfor attempt := 0; attempt <= s.retries; attempt++ {\n\t\tv, err := s.store.Get(ctx, id)\n\t\tif err == nil {\n\t\t\ts.mu.Lock()\n\t\t\ts.cache[id] = v\n\t\t\ts.mu.Unlock()\n\t\t\treturn v, nil\n\t\t}\n\t\tif errors.Is(err, Err%sNotFound) {\n\t\t\treturn nil, err\n\t\t}\n\t\tlastErr = err\n\t\ttime.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)\n\t}\n\treturn nil, fmt.Errorf(\"%s %%s: %%w\", id, lastErr)\n}\n\n", noun, noun, strings.ToLower(name))
		case 1:
			fmt.Fprintf(&b, "// %s checks a %s before it is saved and returns every problem at once.\nfunc (s *%sService) %s(v *%s) error {\n\tvar problems []string\n", name, lower, noun, name, noun)
			for k2 := 0; k2 < 3+rng.IntN(4); k2++ {
				fd := fields[(k2+i)%len(fields)]
				switch fd.typ {
				case "string":
					fmt.Fprintf(&b, "\tif strings.TrimSpace(v.%s) == \"\" {\n\t\tproblems = append(problems, \"%s is required\")\n\t}\n", fd.name, strings.ToLower(fd.name))
				case "int64", "int":
					fmt.Fprintf(&b, "\tif v.%s < 0 {\n\t\tproblems = append(problems, fmt.Sprintf(\"%s must not be negative, got %%d\", v.%s))\n\t}\n", fd.name, strings.ToLower(fd.name), fd.name)
				default:
					fmt.Fprintf(&b, "\t_ = v.%s // not validated: any value is accepted\n", fd.name)
				}
			}
			b.WriteString("\tif len(problems) > 0 {\n\t\tsort.Strings(problems)\n\t\treturn fmt.Errorf(\"invalid: %s\", strings.Join(problems, \"; \"))\n\t}\n\treturn nil\n}\n\n")
		default:
			fmt.Fprintf(&b, "// %s lists the %ss of an owner, newest first, at most limit of them.\nfunc (s *%sService) %s(ctx context.Context, owner string, limit int) ([]*%s, error) {\n", name, lower, noun, name, noun)
			fmt.Fprintf(&b, "\tif limit <= 0 || limit > 1000 {\n\t\tlimit = 100\n\t}\n\tvs, err := s.store.List(ctx, owner, limit)\n\tif err != nil {\n\t\treturn nil, fmt.Errorf(\"list %ss of %%s: %%w\", owner, err)\n\t}\n\tsort.Slice(vs, func(i, j int) bool { return vs[i].ID > vs[j].ID })\n\tif len(vs) > limit {\n\t\tvs = vs[:limit]\n\t}\n\treturn vs, nil\n}\n\n", lower)
		}
	}
	newLine := fmt.Sprintf("const default%sTimeout = %d * time.Second", noun, timeout+15)
	return GoFile{Rel: fmt.Sprintf("internal/%s/%s_%d.go", pkg, lower, i), Content: b.String(), Old: old, New: newLine, Symbol: symbol}
}
