package sim

import (
	"time"

	"ganban/internal/catalog"
)

// Prompt caching as Bedrock bills it for Claude:
//
//   - A breakpoint is a block with cache_control; at most four per request (validated).
//   - At each breakpoint the service looks for a cached prefix ending at that block or at
//     any of the lookbackBlocks block boundaries before it; the longest prefix found over all
//     breakpoints is read from cache.
//   - Every breakpoint past that point whose prefix reaches the model's minimum cacheable
//     length is written, with its TTL (5 minutes, or 1 hour). The tokens from the read point
//     to the last written breakpoint are billed as cache writes: up to the last 1-hour
//     breakpoint at the 1-hour rate, the rest at the 5-minute rate.
//   - Everything after the last written breakpoint is ordinary input.
//   - A hit refreshes the TTL of the entry it read.
//
// Entries are scoped to the account, the region and the model.
const lookbackBlocks = 20

type cacheKey struct {
	scope  string
	prefix [32]byte
}

type cacheEntry struct {
	expires time.Time
	ttl     time.Duration
}

type promptCache struct {
	entries map[cacheKey]cacheEntry
}

func (c *promptCache) init() { c.entries = map[cacheKey]cacheEntry{} }

// cacheResult is the split of a prompt's tokens into billing classes.
type cacheResult struct {
	Read, Write5m, Write1h, Input int64
}

func ttlOf(s *segment) time.Duration {
	if s.Breakpoint != nil && s.Breakpoint.TTL == "1h" {
		return time.Hour
	}
	return 5 * time.Minute
}

// apply reads and writes the cache for one request at time now. The caller holds the
// server's lock.
func (c *promptCache) apply(scope string, m *catalog.Model, segs []segment, now time.Time) cacheResult {
	total := promptTokens(segs)
	cum := make([]int64, len(segs)) // cum[i]: tokens of segments 0..i
	var run int64
	for i, s := range segs {
		run += s.Tokens
		cum[i] = run
	}
	hit := -1
	for b := range segs {
		if segs[b].Breakpoint == nil {
			continue
		}
		for j := b; j >= 0 && j >= b-lookbackBlocks; j-- {
			if j <= hit {
				break
			}
			e, ok := c.entries[cacheKey{scope, segs[j].Prefix}]
			if ok && now.Before(e.expires) {
				hit = j
				break
			}
		}
	}
	var res cacheResult
	if hit >= 0 {
		k := cacheKey{scope, segs[hit].Prefix}
		e := c.entries[k]
		e.expires = now.Add(e.ttl)
		c.entries[k] = e
		res.Read = cum[hit]
	}
	last1h, lastWrite := -1, -1
	for b := hit + 1; b < len(segs); b++ {
		if segs[b].Breakpoint == nil || cum[b] < int64(m.MinCacheTokens) {
			continue
		}
		ttl := ttlOf(&segs[b])
		c.entries[cacheKey{scope, segs[b].Prefix}] = cacheEntry{expires: now.Add(ttl), ttl: ttl}
		lastWrite = b
		if ttl == time.Hour {
			last1h = b
		}
	}
	if lastWrite >= 0 {
		from := res.Read
		if last1h >= 0 {
			res.Write1h = cum[last1h] - from
			from = cum[last1h]
		}
		res.Write5m = cum[lastWrite] - from
	}
	res.Input = total - res.Read - res.Write5m - res.Write1h
	c.prune(now)
	return res
}

// prune drops expired entries once the table grows, so a long soak run stays small.
func (c *promptCache) prune(now time.Time) {
	if len(c.entries) < 4096 {
		return
	}
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
}
