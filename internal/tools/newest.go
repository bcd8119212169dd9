package tools

import (
	"cmp"
	"container/heap"
	"slices"
	"strings"
	"sync"
)

// newestFiles keeps the k most recently modified of the files offered to it, and counts them
// all. Glob offers it every match of a pattern that may match a whole tree: keeping k instead
// of sorting them all saves the sort and the memory. Safe for concurrent use.
type newestFiles struct {
	k     int
	mu    sync.Mutex
	total int
	kept  fileHeap
}

type fileHit struct {
	path string
	mod  int64 // Unix nanoseconds
}

// compare is the result order: most recently modified first, then by path.
func (a fileHit) compare(b fileHit) int {
	if c := cmp.Compare(b.mod, a.mod); c != 0 {
		return c
	}
	return strings.Compare(a.path, b.path)
}

func (n *newestFiles) offer(h fileHit) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.total++
	switch {
	case len(n.kept) < n.k:
		heap.Push(&n.kept, h)
	case h.compare(n.kept[0]) < 0:
		n.kept[0] = h
		heap.Fix(&n.kept, 0)
	}
}

// sorted returns the kept files in result order, and how many were offered.
func (n *newestFiles) sorted() ([]fileHit, int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := slices.Clone(n.kept)
	slices.SortFunc(out, fileHit.compare)
	return out, n.total
}

// fileHeap has at its root the file that comes last in result order, the first to drop.
type fileHeap []fileHit

func (h fileHeap) Len() int           { return len(h) }
func (h fileHeap) Less(i, j int) bool { return h[i].compare(h[j]) > 0 }
func (h fileHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *fileHeap) Push(x any)        { *h = append(*h, x.(fileHit)) }
func (h *fileHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
