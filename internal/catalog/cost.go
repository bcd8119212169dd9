package catalog

// Tokens counts the tokens of one or more requests the way Bedrock bills them.
type Tokens struct {
	Input        int64 `json:"input_tokens"`
	Output       int64 `json:"output_tokens"`
	CacheWrite5m int64 `json:"cache_write_5m_tokens"`
	CacheWrite1h int64 `json:"cache_write_1h_tokens"`
	CacheRead    int64 `json:"cache_read_input_tokens"`
}

// Add returns the sum of two counts.
func (t Tokens) Add(o Tokens) Tokens {
	return Tokens{
		Input:        t.Input + o.Input,
		Output:       t.Output + o.Output,
		CacheWrite5m: t.CacheWrite5m + o.CacheWrite5m,
		CacheWrite1h: t.CacheWrite1h + o.CacheWrite1h,
		CacheRead:    t.CacheRead + o.CacheRead,
	}
}

// CacheWrite is all cache-creation tokens, whatever their TTL.
func (t Tokens) CacheWrite() int64 { return t.CacheWrite5m + t.CacheWrite1h }

// Cost is the US dollar price of the tokens at model m's rates, through a profile of
// geography geo ("" for a foundation model or application profile, which are billed at the
// base rate). Geography profiles of newer models carry a regional premium over global ones.
// AWS GovCloud rates are not in the table: a us-gov profile is costed like any geography.
func (m *Model) Cost(t Tokens, geo string) float64 {
	p := m.Price
	usd := (float64(t.Input)*p.Input +
		float64(t.Output)*p.Output +
		float64(t.CacheWrite5m)*p.CacheWrite5m +
		float64(t.CacheWrite1h)*p.CacheWrite1h +
		float64(t.CacheRead)*p.CacheRead) / 1e6
	if geo != "" && geo != "global" {
		usd *= 1 + m.RegionalPremium
	}
	return usd
}
