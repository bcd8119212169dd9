// Package walk lists the files of a directory tree the way ripgrep does: in parallel, skipping
// version-control directories, hidden entries (unless asked) and whatever .gitignore, .ignore,
// .rgignore and .git/info/exclude rules exclude, with nested ignore files and negations.
//
// Walk calls its callback from several goroutines at once, in no particular order; callers
// that need an order sort what they collect.
package walk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// vcsDirs are never entered: their content is the repository's internals.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".bzr": true, ".jj": true}

// Entry is a file found by Walk.
type Entry struct {
	Path string      // absolute
	Rel  string      // relative to the walk's root, slash-separated; "" for a root that is a file
	Name string      // last element
	Type fs.FileMode // type bits only, as in fs.DirEntry.Type: regular files have 0
}

// Options tune a walk.
type Options struct {
	// Hidden includes entries whose name starts with a dot (VCS directories stay skipped).
	Hidden bool
	// NoIgnore disregards ignore files.
	NoIgnore bool
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// SkipDir, when set, prunes the directories it returns true for. It is called
	// concurrently.
	SkipDir func(path, rel, name string) bool
}

// batchSize is how many files of one directory form one unit of work, so a directory with
// many files is spread over all workers.
const batchSize = 64

// item is one unit of work: a directory to read, or files to hand to the callback.
type item struct {
	dir   string
	rel   string
	ig    *Ignore
	files []Entry
}

// ErrStop may be returned by the callback to end the walk early without an error.
var ErrStop = errors.New("stop walk")

// Walk calls fn for each file under root that the options let through. Directories are not
// passed to fn. Symlinks are passed with their type (fs.ModeSymlink) but never followed. A
// root that is a file is passed as is, whatever the ignore rules say, since it was named
// explicitly. Directories that cannot be read are skipped. The first error from fn ends the
// walk and is returned, except ErrStop, which ends it with nil.
func Walk(ctx context.Context, root string, opts Options, fn func(Entry) error) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		err := fn(Entry{Path: root, Name: filepath.Base(root), Type: info.Mode().Type()})
		if errors.Is(err, ErrStop) {
			return nil
		}
		return err
	}
	var ig *Ignore
	if !opts.NoIgnore {
		ig = NewIgnore(root)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &walker{opts: opts, fn: fn, ctx: ctx, cancel: cancel}
	w.cond = sync.NewCond(&w.mu)
	w.push(item{dir: root, ig: ig})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work()
		}()
	}
	wg.Wait()
	if w.err != nil && !errors.Is(w.err, ErrStop) {
		return w.err
	}
	if w.err == nil && ctx.Err() != nil {
		// Cancelled from outside (our own cancel only follows an error).
		return ctx.Err()
	}
	return nil
}

type walker struct {
	opts   Options
	fn     func(Entry) error
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	cond    *sync.Cond
	stack   []item // LIFO: depth first, which keeps the stack small
	pending int    // items pushed and not yet finished
	err     error
}

func (w *walker) push(it item) {
	w.mu.Lock()
	w.stack = append(w.stack, it)
	w.pending++
	w.mu.Unlock()
	w.cond.Signal()
}

// pop waits for an item; ok is false when the walk is over.
func (w *walker) pop() (item, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.stack) == 0 {
		if w.pending == 0 || w.err != nil {
			return item{}, false
		}
		w.cond.Wait()
	}
	it := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	return it, true
}

func (w *walker) done(err error) {
	w.mu.Lock()
	w.pending--
	if err != nil && w.err == nil {
		w.err = err
		w.stack = nil
		w.cancel()
	}
	finished := w.pending == 0 || w.err != nil
	w.mu.Unlock()
	if finished {
		w.cond.Broadcast()
	}
}

func (w *walker) work() {
	for {
		it, ok := w.pop()
		if !ok {
			return
		}
		w.process(it)
	}
}

// process handles one item. A panic in the callback ends the walk with an error instead of
// the program: this goroutine belongs to Walk, so nobody above could recover it.
func (w *walker) process(it item) {
	var err error
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("walk: panic: %v", r)
		}
		w.done(err)
	}()
	if w.ctx.Err() != nil {
		err = w.ctx.Err()
	} else if it.files != nil {
		for _, e := range it.files {
			if err = w.fn(e); err != nil {
				break
			}
		}
	} else {
		w.readDir(it)
	}
}

// readDir lists one directory and queues its subdirectories and files.
func (w *walker) readDir(it item) {
	f, err := os.Open(it.dir)
	if err != nil {
		return
	}
	entries, _ := f.ReadDir(-1) // unsorted; order does not matter here
	f.Close()
	ig := it.ig
	if !w.opts.NoIgnore {
		ig = ig.Enter(it.dir)
	}
	var batch []Entry
	for _, de := range entries {
		name := de.Name()
		typ := de.Type()
		isDir := typ.IsDir()
		if isDir && vcsDirs[name] {
			continue
		}
		if !w.opts.Hidden && len(name) > 0 && name[0] == '.' {
			continue
		}
		path := joinPath(it.dir, name)
		if ig != nil && ig.Match(path, isDir) {
			continue
		}
		rel := name
		if it.rel != "" {
			rel = it.rel + "/" + name
		}
		if isDir {
			if w.opts.SkipDir != nil && w.opts.SkipDir(path, rel, name) {
				continue
			}
			w.push(item{dir: path, rel: rel, ig: ig})
			continue
		}
		batch = append(batch, Entry{Path: path, Rel: rel, Name: name, Type: typ})
		if len(batch) == batchSize {
			w.push(item{files: batch})
			batch = nil
		}
	}
	if len(batch) > 0 {
		w.push(item{files: batch})
	}
}

// joinPath joins without cleaning: dir is already clean, and this runs for every entry.
func joinPath(dir, name string) string {
	if len(dir) > 0 && dir[len(dir)-1] == filepath.Separator {
		return dir + name
	}
	return dir + string(filepath.Separator) + name
}
