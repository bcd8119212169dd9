package tui

import "ganban/internal/tui/history"

// historyNav walks the prompt history with Up and Down, keeping what was being typed as a
// draft to come back to.
type historyNav struct {
	store *history.Store
	pos   int // index of the shown entry; len(entries) means the draft
	draft string
	on    bool
}

func newHistoryNav(s *history.Store) *historyNav { return &historyNav{store: s} }

// prev returns the previous (older) entry.
func (h *historyNav) prev(current string) (string, bool) {
	entries := h.store.Entries()
	if !h.on {
		h.on, h.pos, h.draft = true, len(entries), current
	}
	if h.pos == 0 {
		return "", false
	}
	h.pos--
	return entries[h.pos], true
}

// next returns the next (newer) entry, and the draft after the newest.
func (h *historyNav) next() (string, bool) {
	if !h.on {
		return "", false
	}
	entries := h.store.Entries()
	h.pos++
	if h.pos >= len(entries) {
		h.on = false
		return h.draft, true
	}
	return entries[h.pos], true
}

func (h *historyNav) reset() { h.on = false }

// revSearch is Ctrl+R: an incremental search back through the history.
type revSearch struct {
	query string
	idx   int // the match shown, -1 for none
}

// find looks for query from before downwards.
func (r *revSearch) find(s *history.Store, before int) {
	if r.query == "" {
		r.idx = -1
		return
	}
	r.idx = s.Search(r.query, before)
}

func (r *revSearch) match(s *history.Store) string {
	if r.idx < 0 || r.idx >= len(s.Entries()) {
		return ""
	}
	return s.Entries()[r.idx]
}
