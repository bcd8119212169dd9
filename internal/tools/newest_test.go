package tools

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

func TestNewestFilesKeepsWhatAFullSortWouldShowFirst(t *testing.T) {
	for _, n := range []int{0, 1, 99, 100, 101, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(n), 7))
			var all []fileHit
			for i := range n {
				// Few distinct times, so ties are decided by path.
				all = append(all, fileHit{path: fmt.Sprintf("/t/%05d", rng.IntN(1_000_000)*10+i%10), mod: int64(rng.IntN(50))})
			}
			newest := &newestFiles{k: 100}
			var wg sync.WaitGroup
			for part := range 4 {
				wg.Go(func() {
					for i := part; i < len(all); i += 4 {
						newest.offer(all[i])
					}
				})
			}
			wg.Wait()
			got, total := newest.sorted()
			want := slices.Clone(all)
			slices.SortFunc(want, fileHit.compare)
			want = want[:min(len(want), 100)]
			if total != n || !slices.Equal(got, want) {
				t.Errorf("total %d (want %d); kept %d files, equal to the full sort's first: %v", total, n, len(got), slices.Equal(got, want))
			}
		})
	}
}
