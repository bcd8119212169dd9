package bedrock

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// noCachingTTL is how long a region's refusal of prompt caching is believed: regions gain
// the feature, and a day of uncached requests is what a wrong belief costs at most.
const noCachingTTL = 24 * time.Hour

// cachingRefused reports whether region refused cache_control for model, in this process or
// (from CacheDir) in another one within a day: without the file, every print-mode run would
// begin with a refused request.
func (c *Client) cachingRefused(region, model string) bool {
	key := region + "|" + model
	c.mu.Lock()
	defer c.mu.Unlock()
	refused, known := c.noCaching[key]
	if !known {
		refused = c.refusalOnDisk(region, model)
		c.noCaching[key] = refused
	}
	return refused
}

// refuseCaching records a refusal, on disk too.
func (c *Client) refuseCaching(region, model string) {
	c.mu.Lock()
	c.noCaching[region+"|"+model] = true
	c.mu.Unlock()
	path := c.refusalPath(region, model)
	if path == "" {
		return
	}
	data, _ := json.Marshal(struct {
		Region  string    `json:"region"`
		Model   string    `json:"model"`
		Checked time.Time `json:"checked"`
	}{region, model, time.Now()})
	if os.MkdirAll(filepath.Dir(path), 0o700) == nil && os.WriteFile(path+".tmp", data, 0o600) == nil {
		_ = os.Rename(path+".tmp", path)
	}
}

func (c *Client) refusalOnDisk(region, model string) bool {
	path := c.refusalPath(region, model)
	if path == "" {
		return false
	}
	var r struct {
		Checked time.Time `json:"checked"`
	}
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &r) != nil {
		return false
	}
	return time.Since(r.Checked) < noCachingTTL
}

// refusalPath names the file by a hash: models may be ARNs, with slashes and colons.
func (c *Client) refusalPath(region, model string) string {
	if c.opts.CacheDir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(region + "|" + model))
	return filepath.Join(c.opts.CacheDir, "no-caching-"+hex.EncodeToString(sum[:8])+".json")
}
