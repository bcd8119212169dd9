package bedrock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ganban/internal/anthropic"
	"ganban/internal/awsauth"
	"ganban/internal/catalog"
)

// discoveryTTL is how long a discovered default model is trusted before it is checked again.
const discoveryTTL = 24 * time.Hour

// DiscoveryCache remembers discovered default models on disk, per region and credential
// source, so that start-up costs no extra call on most days.
type DiscoveryCache struct {
	Dir string
	// Key identifies the credential source (profile, key ID, ...): another account may see
	// other models.
	Key string
	Now func() time.Time
}

type discovered struct {
	ID      string    `json:"id"`
	Checked time.Time `json:"checked"`
}

func (d DiscoveryCache) path(region, family string) string {
	sum := sha256.Sum256([]byte(d.Key))
	return filepath.Join(d.Dir, fmt.Sprintf("model-%s-%s-%s.json", region, family, hex.EncodeToString(sum[:6])))
}

func (d DiscoveryCache) get(region, family string) (string, bool) {
	if d.Dir == "" {
		return "", false
	}
	data, err := os.ReadFile(d.path(region, family))
	var e discovered
	if err != nil || json.Unmarshal(data, &e) != nil || d.Now().Sub(e.Checked) > discoveryTTL || e.ID == "" {
		return "", false
	}
	return e.ID, true
}

func (d DiscoveryCache) put(region, family, id string) {
	if d.Dir == "" {
		return
	}
	data, _ := json.Marshal(discovered{ID: id, Checked: d.Now()})
	if os.MkdirAll(d.Dir, 0o700) == nil {
		tmp := d.path(region, family) + ".tmp"
		if os.WriteFile(tmp, data, 0o600) == nil {
			_ = os.Rename(tmp, d.path(region, family))
		}
	}
}

func (d DiscoveryCache) forget(region, family string) {
	if d.Dir != "" {
		_ = os.Remove(d.path(region, family))
	}
}

// Discover resolves a family choice ("sonnet", "haiku") to the newest model of that family
// actually invokable in the region: candidates from ListInferenceProfiles, preferring the
// region's own geography then global, confirmed by a one-token probe, newest first and
// falling back down the catalog. Retired models are skipped.
func (c *Client) Discover(ctx context.Context, ch Choice, region string, cache DiscoveryCache) (Choice, error) {
	if !ch.NeedsDiscovery() {
		return ch, nil
	}
	if cache.Now == nil {
		cache.Now = time.Now
	}
	if id, ok := cache.get(region, ch.Family); ok {
		c.remember(id, region, ch.Family, cache)
		return c.discoveredChoice(ch, id, "cached "+cache.Now().Format("2006-01-02")), nil
	}
	listed := map[string]bool{}
	profiles, listErr := c.listProfilesIn(ctx, region)
	for _, p := range profiles {
		listed[p] = true
	}
	var tried []string
	for _, m := range c.cat.Newest(ch.Family) {
		if m.EOL != "" && cache.Now().Format(time.DateOnly) >= m.EOL {
			continue
		}
		for _, geo := range c.cat.PreferredGeographies(region) {
			id := m.ProfileID(geo)
			if !c.cat.ProfileOffered(m, geo, region) || (listErr == nil && !listed[id]) {
				continue
			}
			tried = append(tried, id)
			if err := c.Probe(ctx, id, region); err != nil {
				if KindOf(err) == KindCredentials && errors.Is(err, awsauth.ErrNoCredentials) {
					return ch, err // nothing to do with finding a model
				}
				if !notInvokable(err) {
					return ch, fmt.Errorf("finding the newest %s-class model in %s: %w", ch.Family, region, err)
				}
				continue
			}
			cache.put(region, ch.Family, id)
			c.remember(id, region, ch.Family, cache)
			return c.discoveredChoice(ch, id, "probed"), nil
		}
	}
	if len(tried) == 0 && listErr != nil {
		return ch, fmt.Errorf("no %s model could be found in %s: %w", ch.Family, region, listErr)
	}
	return ch, fmt.Errorf("no %s-class model is invokable in %s (tried %s). Request model access in the Bedrock console, check the IAM policy (`ganban iam-policy`), or pin a model with ANTHROPIC_MODEL", ch.Family, region, strings.Join(tried, ", "))
}

// remember notes that id is ganban's own choice, so that a call the model itself refuses
// later (access withdrawn, model retired within the day the choice is trusted) drops it.
func (c *Client) remember(id, region, family string, cache DiscoveryCache) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chosen[id] = func() { cache.forget(region, family) }
}

// forgetRefusedChoice drops a discovered model from the cache when Bedrock refuses the model
// itself, and marks the error so the advice says the next start chooses again.
func (c *Client) forgetRefusedChoice(e *Error) {
	switch e.Kind {
	case KindAccessDenied, KindInvalidModel, KindModelRetired, KindOnDemand:
	default:
		return
	}
	if e.Kind == KindAccessDenied && strings.Contains(e.Message, "not authorized to perform") {
		return // the IAM policy, not the model: another model would be refused as well
	}
	c.mu.Lock()
	forget := c.chosen[e.Model]
	delete(c.chosen, e.Model)
	c.mu.Unlock()
	if forget != nil {
		forget()
		e.ChoiceDropped = true
	}
}

func (c *Client) discoveredChoice(ch Choice, id, how string) Choice {
	ref, _ := c.cat.Parse(id)
	ch.ID, ch.Ref, ch.Info = id, ref, ref.Model
	ch.Source = fmt.Sprintf("%s: newest %s-class model invokable in this region (%s)", ch.Source, ch.Family, how)
	return ch
}

// listProfilesIn lists system profile IDs callable from a region.
func (c *Client) listProfilesIn(ctx context.Context, region string) ([]string, error) {
	if region != c.cfg.Region {
		return nil, fmt.Errorf("profiles of %s are not listed", region)
	}
	ps, err := c.ListProfiles(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// Probe checks that a model answers in a region with a one-token request. It is a call like
// any other, so throttling and server errors are retried and rejected credentials renewed:
// only the model's own refusal (see notInvokable) says it cannot be used.
func (c *Client) Probe(ctx context.Context, id, region string) error {
	ref, _ := c.cat.Parse(id)
	probeRegion := region
	if region == c.cfg.Region {
		probeRegion = ""
	}
	_, err := c.Invoke(ctx, Call{Model: id, Region: probeRegion, Request: userProbe(), MaxTokens: 1, Info: ref.Model, NoThinking: true})
	return err
}

// notInvokable reports whether a probe's error is about the model itself (no access, not
// offered here, retired, on-demand not supported), as opposed to the caller's credentials,
// the network or a failing service, which trying another model would only hide.
func notInvokable(err error) bool {
	var be *Error
	if !errors.As(err, &be) {
		return false
	}
	switch be.Kind {
	case KindAccessDenied, KindInvalidModel, KindModelRetired, KindOnDemand, KindValidation:
		return true
	}
	return false
}

// ModelInfo returns the catalog entry for a model ID, nil if unknown.
func (c *Client) ModelInfo(id string) *catalog.Model {
	ref, err := c.cat.Parse(id)
	if err != nil {
		return nil
	}
	return ref.Model
}

// userProbe is the smallest valid request: one user message of one character.
func userProbe() *anthropic.Request {
	return &anthropic.Request{Messages: []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text(".")}}}}
}
