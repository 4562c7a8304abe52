package quiz

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Python version. Patch is -1 when only major.minor is known.
type Version struct {
	Major, Minor, Patch int
}

// ParseVersion reads "3", "3.11" or "3.11.7".
func ParseVersion(s string) (Version, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ".")
	if len(parts) < 1 || len(parts) > 3 || s == "" {
		return Version{}, fmt.Errorf("invalid Python version %q (want 3.11 or 3.11.7)", s)
	}
	nums := []int{0, -1, -1}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 999 || p != strconv.Itoa(n) {
			return Version{}, fmt.Errorf("invalid Python version %q (want 3.11 or 3.11.7)", s)
		}
		nums[i] = n
	}
	return Version{nums[0], nums[1], nums[2]}, nil
}

// String formats the version with as many parts as are known.
func (v Version) String() string {
	switch {
	case v.Minor < 0:
		return strconv.Itoa(v.Major)
	case v.Patch < 0:
		return fmt.Sprintf("%d.%d", v.Major, v.Minor)
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Compare orders versions; unknown parts compare as 0.
func (v Version) Compare(w Version) int {
	a := [3]int{v.Major, max(v.Minor, 0), max(v.Patch, 0)}
	b := [3]int{w.Major, max(w.Minor, 0), max(w.Patch, 0)}
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

type clause struct {
	op string // "==", ">=", ">", "<=", "<", "!="
	v  Version
}

// Constraint is a Python version constraint such as "2.7", ">=3.8" or ">=3.6,<3.8".
// The zero Constraint allows every version.
type Constraint struct {
	raw     string
	clauses []clause
}

// ParseConstraint parses a comma-separated list of clauses. A bare version
// ("2.7") matches that release series: 2.7 matches 2.7.18.
func ParseConstraint(s string) (Constraint, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Constraint{}, fmt.Errorf("empty Python version constraint")
	}
	c := Constraint{raw: s}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		op := "=="
		for _, o := range []string{">=", "<=", "==", "!=", ">", "<"} {
			if strings.HasPrefix(part, o) {
				op = o
				part = strings.TrimSpace(part[len(o):])
				break
			}
		}
		v, err := ParseVersion(part)
		if err != nil {
			return Constraint{}, fmt.Errorf("invalid Python version constraint %q (examples: 2.7, >=3.8, >=3.6,<3.8)", s)
		}
		if v.Major != 2 && v.Major != 3 {
			return Constraint{}, fmt.Errorf("invalid Python version constraint %q: Python %d does not exist", s, v.Major)
		}
		c.clauses = append(c.clauses, clause{op, v})
	}
	return c, nil
}

// MustConstraint is ParseConstraint for literals known to be valid.
func MustConstraint(s string) Constraint {
	c, err := ParseConstraint(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsZero reports whether the constraint allows every version.
func (c Constraint) IsZero() bool { return len(c.clauses) == 0 }

// String returns the constraint as written.
func (c Constraint) String() string { return c.raw }

// Allows reports whether version v satisfies every clause.
func (c Constraint) Allows(v Version) bool {
	for _, cl := range c.clauses {
		if !cl.allows(v) {
			return false
		}
	}
	return true
}

func (cl clause) allows(v Version) bool {
	// A clause version with fewer parts matches on the parts it names:
	// "==2.7" matches 2.7.18, "<3.8" is false for 3.8.1.
	w := cl.v
	cmp := v.Compare(w)
	prefix := v.Major == w.Major && (w.Minor < 0 || v.Minor == w.Minor) && (w.Patch < 0 || v.Patch == w.Patch)
	switch cl.op {
	case "==":
		return prefix
	case "!=":
		return !prefix
	case ">=":
		return cmp >= 0 || prefix
	case ">":
		return cmp > 0 && !prefix
	case "<=":
		return cmp <= 0 || prefix
	case "<":
		return cmp < 0 && !prefix
	}
	return false
}

// Intersects reports whether some Python version 2.0..3.99 is allowed by both.
func (c Constraint) Intersects(d Constraint) bool {
	for _, v := range KnownVersions() {
		if c.Allows(v) && d.Allows(v) {
			return true
		}
	}
	return false
}

// KnownVersions lists the minor releases a constraint is checked against:
// 2.0-2.7 and 3.0-3.20.
func KnownVersions() []Version {
	return append([]Version(nil), knownVersions[:]...)
}

// knownVersions backs KnownVersions, oldest first; the loops of this
// package read it without a copy (play selects from every question).
var knownVersions = [...]Version{
	{2, 0, -1}, {2, 1, -1}, {2, 2, -1}, {2, 3, -1}, {2, 4, -1}, {2, 5, -1}, {2, 6, -1}, {2, 7, -1},
	{3, 0, -1}, {3, 1, -1}, {3, 2, -1}, {3, 3, -1}, {3, 4, -1}, {3, 5, -1}, {3, 6, -1}, {3, 7, -1},
	{3, 8, -1}, {3, 9, -1}, {3, 10, -1}, {3, 11, -1}, {3, 12, -1}, {3, 13, -1}, {3, 14, -1},
	{3, 15, -1}, {3, 16, -1}, {3, 17, -1}, {3, 18, -1}, {3, 19, -1}, {3, 20, -1},
}
