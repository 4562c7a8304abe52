package quiz

import (
	"fmt"
	"sort"
)

// Library is a set of loaded packs with unique ids.
type Library struct {
	Packs []*Pack // sorted by id
}

// NewLibrary combines packs, reporting each pack id used by two files as an
// error that names both. The first pack with an id wins.
func NewLibrary(packs []*Pack) (*Library, Problems) {
	var probs Problems
	seen := map[string]*Pack{}
	lib := &Library{}
	for _, p := range packs {
		if first, ok := seen[p.ID]; ok {
			probs = append(probs, Problem{Pos: p.Pos, Message: fmt.Sprintf("pack id %q is also used by %s", p.ID, first.Pos)})
			continue
		}
		seen[p.ID] = p
		lib.Packs = append(lib.Packs, p)
	}
	sort.SliceStable(lib.Packs, func(i, j int) bool { return lib.Packs[i].ID < lib.Packs[j].ID })
	return lib, probs
}

// Pack returns the pack with the given id, or nil.
func (l *Library) Pack(id string) *Pack {
	for _, p := range l.Packs {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Questions returns every question of every pack, in pack order.
func (l *Library) Questions() []*Question {
	var qs []*Question
	for _, p := range l.Packs {
		qs = append(qs, p.Questions...)
	}
	return qs
}

// Question finds a question by its full id "pack/question". A bare question
// id is accepted when exactly one pack has it.
func (l *Library) Question(id string) (*Question, error) {
	var found []*Question
	for _, q := range l.Questions() {
		if q.FullID() == id {
			return q, nil
		}
		if q.ID == id {
			found = append(found, q)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no question %q (see pyquiz list questions)", id)
	}
	return nil, fmt.Errorf("question id %q is ambiguous: %s and %s; give the full id pack/question", id, found[0].FullID(), found[1].FullID())
}
