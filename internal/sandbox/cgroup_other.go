//go:build !linux

package sandbox

import (
	"errors"
	"time"
)

// Cgroups: Linux only.
func Cgroups() (bool, string) { return false, "cgroups are Linux-only" }

// Group is a cgroup; there is none on this system.
type Group struct{}

// NewGroup fails: no cgroups on this system.
func NewGroup(memory, processes uint64) (*Group, error) {
	return nil, errors.New("cgroups are Linux-only")
}

func (g *Group) SetMemory(n uint64) error   { return nil }
func (g *Group) Usage() uint64              { return 0 }
func (g *Group) OOMKills() int              { return 0 }
func (g *Group) CPU() (time.Duration, bool) { return 0, false }
func (g *Group) Procs() []string            { return nil }
func (g *Group) Close() error               { return nil }

func joinCgroups(procs []string) error {
	if len(procs) > 0 {
		return errors.New("cgroups are Linux-only")
	}
	return nil
}

// OwnGroups: none on this system.
func OwnGroups() []string { return nil }
