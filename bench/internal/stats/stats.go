// Package stats summarises repeated measurements. Medians, not means: one run disturbed by
// the machine (a page-cache miss, the other core busy) should not move a result.
package stats

import (
	"sort"
	"time"
)

// Median of xs; 0 for none.
func Median(xs []float64) float64 { return Percentile(xs, 50) }

// Percentile p (0-100) of xs, by nearest rank.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Durations converts to milliseconds, the unit every table uses.
func Durations(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Millisecond)
	}
	return out
}

// MedianDur is the median of durations, in milliseconds.
func MedianDur(ds []time.Duration) float64 { return Median(Durations(ds)) }
