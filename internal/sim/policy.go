package sim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// policy is an IAM identity policy in the subset the simulator enforces: Allow and Deny
// statements over Action/NotAction and Resource/NotResource with * and ? wildcards, and
// conditions with the String operators over the request context keys the simulator knows
// (aws:RequestedRegion, aws:PrincipalAccount, aws:CalledViaLast). Other operators are refused
// at load time rather than silently ignored.
type policy struct {
	Statements []statement
}

type statement struct {
	Effect      string
	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string
	Conditions  []condition
}

// condition is one operator/key/values test of a statement's Condition block.
type condition struct {
	op     string
	key    string
	values []string
}

// conditionOps are the supported operators and whether each is a negation.
var conditionOps = map[string]bool{"StringEquals": false, "StringLike": false, "StringNotEquals": true, "StringNotLike": true}

// requestContext is what conditions are evaluated against.
type requestContext map[string]string

// stringList is an IAM field that is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = []string{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return errors.New("must be a string or a list of strings")
	}
	*l = ss
	return nil
}

func parsePolicy(data []byte) (*policy, error) {
	var doc struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	raw := bytes.TrimSpace(doc.Statement)
	if len(raw) > 0 && raw[0] == '{' {
		raw = append(append([]byte("["), raw...), ']')
	}
	var sts []struct {
		Effect      string                           `json:"Effect"`
		Action      stringList                       `json:"Action"`
		NotAction   stringList                       `json:"NotAction"`
		Resource    stringList                       `json:"Resource"`
		NotResource stringList                       `json:"NotResource"`
		Condition   map[string]map[string]stringList `json:"Condition"`
	}
	if err := json.Unmarshal(raw, &sts); err != nil {
		return nil, fmt.Errorf("Statement: %w", err)
	}
	p := &policy{}
	for i, st := range sts {
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, fmt.Errorf("Statement[%d].Effect must be Allow or Deny", i)
		}
		var conds []condition
		for op, keys := range st.Condition {
			if _, ok := conditionOps[op]; !ok {
				return nil, fmt.Errorf("Statement[%d]: condition operator %s is not supported by the simulator (StringEquals, StringLike, StringNotEquals, StringNotLike)", i, op)
			}
			for k, vals := range keys {
				conds = append(conds, condition{op: op, key: k, values: vals})
			}
		}
		if (len(st.Action) == 0) == (len(st.NotAction) == 0) {
			return nil, fmt.Errorf("Statement[%d] needs exactly one of Action and NotAction", i)
		}
		if (len(st.Resource) == 0) == (len(st.NotResource) == 0) {
			return nil, fmt.Errorf("Statement[%d] needs exactly one of Resource and NotResource", i)
		}
		p.Statements = append(p.Statements, statement{Effect: st.Effect, Action: st.Action,
			NotAction: st.NotAction, Resource: st.Resource, NotResource: st.NotResource, Conditions: conds})
	}
	return p, nil
}

// allows evaluates the policy as IAM does for one identity policy: an explicit Deny wins,
// then any Allow, else the implicit deny.
func (p *policy) allows(action, resource string, ctx requestContext) bool {
	allowed := false
	for _, st := range p.Statements {
		if !st.matches(action, resource) || !st.conditionsHold(ctx) {
			continue
		}
		if st.Effect == "Deny" {
			return false
		}
		allowed = true
	}
	return allowed
}

// conditionsHold evaluates the Condition block: every condition must hold. A key missing
// from the context fails a positive operator and satisfies a negated one, as in IAM.
func (st statement) conditionsHold(ctx requestContext) bool {
	for _, c := range st.Conditions {
		v, present := ctx[c.key]
		match := present && anyStringMatch(c, v)
		if conditionOps[c.op] {
			match = !present || !anyStringMatch(c, v)
		}
		if !match {
			return false
		}
	}
	return true
}

func anyStringMatch(c condition, v string) bool {
	for _, want := range c.values {
		if (strings.HasSuffix(c.op, "Like") && iamGlob(want, v)) || want == v {
			return true
		}
	}
	return false
}

func (st statement) matches(action, resource string) bool {
	actionOK := anyMatch(st.Action, action, true)
	if len(st.NotAction) > 0 {
		actionOK = !anyMatch(st.NotAction, action, true)
	}
	resourceOK := anyMatch(st.Resource, resource, false)
	if len(st.NotResource) > 0 {
		resourceOK = !anyMatch(st.NotResource, resource, false)
	}
	return actionOK && resourceOK
}

// anyMatch matches IAM wildcards: * any run of characters (slashes included), ? one
// character. Actions compare case-insensitively, resources exactly.
func anyMatch(patterns []string, s string, fold bool) bool {
	for _, pat := range patterns {
		if fold {
			pat, s = strings.ToLower(pat), strings.ToLower(s)
		}
		if iamGlob(pat, s) {
			return true
		}
	}
	return false
}

func iamGlob(pat, s string) bool {
	// path.Match treats '/' as a separator that * cannot cross, and IAM's * crosses it, so
	// match the pattern against the string with slashes swapped for a byte that cannot
	// appear in either.
	const sub = "\x00"
	pat = strings.ReplaceAll(strings.ReplaceAll(pat, "[", "\\["), "/", sub)
	ok, err := path.Match(pat, strings.ReplaceAll(s, "/", sub))
	return err == nil && ok
}

func hexString(b []byte) string { return hex.EncodeToString(b) }
