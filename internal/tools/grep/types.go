package grep

import (
	"path/filepath"
	"sort"
	"strings"
)

// fileTypes are ripgrep's file types (rg --type-list) for the languages and formats people
// search most, by the same names, so a model's "type": "rust" means what it means to rg.
var fileTypes = map[string][]string{
	"ada":           {"*.adb", "*.ads"},
	"asm":           {"*.asm", "*.s", "*.S"},
	"avro":          {"*.avdl", "*.avpr", "*.avsc"},
	"awk":           {"*.awk"},
	"bazel":         {"*.bazel", "*.bzl", "*.BUILD", "*.bazelrc", "BUILD", "MODULE.bazel", "WORKSPACE", "WORKSPACE.bazel"},
	"c":             {"*.[chH]", "*.[chH].in", "*.cats"},
	"cabal":         {"*.cabal"},
	"clojure":       {"*.clj", "*.cljc", "*.cljs", "*.cljx"},
	"cmake":         {"*.cmake", "CMakeLists.txt"},
	"coffeescript":  {"*.coffee"},
	"config":        {"*.cfg", "*.conf", "*.config", "*.ini"},
	"cpp":           {"*.[ChH]", "*.cc", "*.[ch]pp", "*.[ch]xx", "*.hh", "*.inl", "*.[ChH].in", "*.cc.in", "*.[ch]pp.in", "*.[ch]xx.in", "*.hh.in"},
	"crystal":       {"Projectfile", "*.cr", "*.ecr", "shard.yml"},
	"cs":            {"*.cs"},
	"csharp":        {"*.cs"},
	"css":           {"*.css", "*.scss"},
	"csv":           {"*.csv"},
	"cuda":          {"*.cu", "*.cuh"},
	"d":             {"*.d"},
	"dart":          {"*.dart"},
	"diff":          {"*.patch", "*.diff"},
	"docker":        {"*Dockerfile*"},
	"dockercompose": {"docker-compose.yml", "docker-compose.*.yml", "compose.yml", "compose.yaml"},
	"elisp":         {"*.el"},
	"elixir":        {"*.ex", "*.eex", "*.exs", "*.heex", "*.leex", "*.livemd"},
	"elm":           {"*.elm"},
	"erlang":        {"*.erl", "*.hrl"},
	"fish":          {"*.fish"},
	"fortran":       {"*.f", "*.F", "*.f77", "*.F77", "*.pfo", "*.f90", "*.F90", "*.f95", "*.F95"},
	"fsharp":        {"*.fs", "*.fsx", "*.fsi"},
	"gn":            {"*.gn", "*.gni"},
	"go":            {"*.go"},
	"gradle":        {"*.gradle", "*.gradle.kts"},
	"graphql":       {"*.graphql", "*.graphqls"},
	"groovy":        {"*.groovy", "*.gradle"},
	"h":             {"*.h", "*.hh", "*.hpp"},
	"haskell":       {"*.hs", "*.lhs", "*.cpphs", "*.c2hs", "*.hsc"},
	"hcl":           {"*.hcl", "*.tf", "*.tfvars"},
	"html":          {"*.htm", "*.html", "*.ejs"},
	"java":          {"*.java", "*.jsp", "*.jspx", "*.properties"},
	"jinja":         {"*.j2", "*.jinja", "*.jinja2"},
	"js":            {"*.js", "*.jsx", "*.vue", "*.cjs", "*.mjs"},
	"json":          {"*.json", "composer.lock", "*.sarif"},
	"jsonl":         {"*.jsonl"},
	"julia":         {"*.jl"},
	"jupyter":       {"*.ipynb", "*.jpynb"},
	"kotlin":        {"*.kt", "*.kts"},
	"less":          {"*.less"},
	"lisp":          {"*.el", "*.jl", "*.lisp", "*.lsp", "*.sc", "*.scm"},
	"lua":           {"*.lua"},
	"make":          {"[Gg][Nn][Uu]makefile", "[Mm]akefile", "[Gg][Nn][Uu]makefile.am", "[Mm]akefile.am", "[Gg][Nn][Uu]makefile.in", "[Mm]akefile.in", "*.mk", "*.mak"},
	"markdown":      {"*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mkd", "*.mkdn", "*.mdx"},
	"md":            {"*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mkd", "*.mkdn", "*.mdx"},
	"meson":         {"meson.build", "meson_options.txt", "meson.options"},
	"nim":           {"*.nim", "*.nimf", "*.nimble", "*.nims"},
	"nix":           {"*.nix"},
	"objc":          {"*.h", "*.m"},
	"objcpp":        {"*.h", "*.mm"},
	"ocaml":         {"*.ml", "*.mli", "*.mll", "*.mly"},
	"org":           {"*.org", "*.org_archive"},
	"perl":          {"*.perl", "*.pl", "*.PL", "*.plh", "*.plx", "*.pm", "*.t"},
	"php":           {"*.php", "*.php3", "*.php4", "*.php5", "*.php7", "*.php8", "*.pht", "*.phtml"},
	"po":            {"*.po"},
	"powershell":    {"*.ps1", "*.psm1", "*.psd1"},
	"protobuf":      {"*.proto"},
	"ps":            {"*.cdxml", "*.ps1", "*.ps1xml", "*.psd1", "*.psm1"},
	"puppet":        {"*.epp", "*.erb", "*.pp", "*.rb"},
	"py":            {"*.py", "*.pyi"},
	"python":        {"*.py", "*.pyi"},
	"qml":           {"*.qml"},
	"r":             {"*.R", "*.r", "*.Rmd", "*.Rnw"},
	"racket":        {"*.rkt"},
	"rdoc":          {"*.rdoc"},
	"rst":           {"*.rst"},
	"ruby":          {"*.gemspec", ".irbrc", "Gemfile", "Rakefile", "*.rb", "*.rbw", "*.rake", "*.ru", "config.ru"},
	"rust":          {"*.rs"},
	"sass":          {"*.sass", "*.scss"},
	"scala":         {"*.scala", "*.sbt", "*.sc"},
	"sh":            {"*.bash", "*.bashrc", ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", "*.zsh", ".zshrc", ".zprofile", ".zshenv", "*.sh", ".profile", ".kshrc", "*.ksh", "*.csh", ".cshrc", "*.tcsh"},
	"solidity":      {"*.sol"},
	"sql":           {"*.sql", "*.psql"},
	"svelte":        {"*.svelte", "*.svelte.ts"},
	"svg":           {"*.svg"},
	"swift":         {"*.swift"},
	"tcl":           {"*.tcl"},
	"tex":           {"*.tex", "*.ltx", "*.cls", "*.sty", "*.bib", "*.dtx", "*.ins"},
	"tf":            {"*.tf", "*.tf.json", "*.tfvars"},
	"terraform":     {"*.tf", "*.tf.json", "*.tfvars"},
	"thrift":        {"*.thrift"},
	"toml":          {"*.toml", "Cargo.lock"},
	"ts":            {"*.ts", "*.tsx", "*.cts", "*.mts"},
	"typescript":    {"*.ts", "*.tsx", "*.cts", "*.mts"},
	"txt":           {"*.txt"},
	"vala":          {"*.vala"},
	"vb":            {"*.vb"},
	"verilog":       {"*.v", "*.vh", "*.sv", "*.svh"},
	"vhdl":          {"*.vhd", "*.vhdl"},
	"vim":           {"*.vim", ".vimrc", ".gvimrc", "vimrc", "gvimrc", "_vimrc", "_gvimrc"},
	"vue":           {"*.vue"},
	"wasm":          {"*.wat", "*.wast"},
	"xml":           {"*.xml", "*.xml.dist", "*.dtd", "*.xsl", "*.xslt", "*.xsd", "*.xjb", "*.rng", "*.sch", "*.xhtml"},
	"yaml":          {"*.yaml", "*.yml"},
	"zig":           {"*.zig"},
	"zsh":           {".zshenv", "zshenv", ".zlogin", "zlogin", ".zlogout", "zlogout", ".zprofile", "zprofile", ".zshrc", "zshrc", "*.zsh"},
}

// typeAliases are names models use for types rg spells differently.
var typeAliases = map[string]string{
	"golang": "go", "javascript": "js", "jsx": "js", "tsx": "ts", "rs": "rust", "rb": "ruby",
	"yml": "yaml", "shell": "sh", "bash": "sh", "c++": "cpp", "cxx": "cpp", "kt": "kotlin",
	"proto": "protobuf", "dockerfile": "docker", "makefile": "make", "hs": "haskell", "ex": "elixir",
	"pl": "perl", "ml": "ocaml", "cc": "cpp", "hpp": "cpp", "scss": "sass",
}

// typeMatcher decides by a file's name whether it has one of a type's patterns.
type typeMatcher struct {
	exts  map[string]bool // "*.go" -> ".go" (exact extension after the last dot)
	globs []string        // everything else, matched with filepath.Match on the name
}

// newTypeMatcher resolves a type name.
func newTypeMatcher(name string) (*typeMatcher, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := typeAliases[key]; ok {
		key = a
	}
	globs, ok := fileTypes[key]
	if !ok {
		globs, ok = fileTypes[name]
	}
	if !ok {
		names := make([]string, 0, len(fileTypes))
		for n := range fileTypes {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, &UnknownTypeError{Name: name, Known: names}
	}
	m := &typeMatcher{exts: map[string]bool{}}
	for _, g := range globs {
		// "*.go" is an extension test; "*.tf.json" or "*.[ch]" need the glob.
		if ext, ok := strings.CutPrefix(g, "*"); ok && strings.HasPrefix(ext, ".") && strings.Count(ext, ".") == 1 && !strings.ContainsAny(ext, "*?[") {
			m.exts[ext] = true
			continue
		}
		m.globs = append(m.globs, g)
	}
	return m, nil
}

func (m *typeMatcher) match(name string) bool {
	if m.exts[filepath.Ext(name)] {
		return true
	}
	for _, g := range m.globs {
		if ok, _ := filepath.Match(g, name); ok {
			return true
		}
	}
	return false
}

// UnknownTypeError reports a file type rg does not know.
type UnknownTypeError struct {
	Name  string
	Known []string
}

func (e *UnknownTypeError) Error() string {
	return "unknown file type " + `"` + e.Name + `"` + "; known types: " + strings.Join(e.Known, ", ")
}
