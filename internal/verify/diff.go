package verify

import (
	"fmt"
	"strings"
)

// Diff returns a unified-style line diff of a and b ("-" lines only in a,
// "+" lines only in b, " " common), or "" when they are equal. Long inputs
// are cut to keep the report readable.
func Diff(nameA, nameB, a, b string) string {
	if a == b {
		return ""
	}
	const maxLines = 400
	al, bl := splitLines(a), splitLines(b)
	cut := false
	if len(al) > maxLines {
		al, cut = al[:maxLines], true
	}
	if len(bl) > maxLines {
		bl, cut = bl[:maxLines], true
	}
	// Longest common subsequence table; inputs are small.
	n, m := len(al), len(bl)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", nameA, nameB)
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && al[i] == bl[j]:
			sb.WriteString("  " + al[i] + "\n")
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			sb.WriteString("- " + al[i] + "\n")
			i++
		default:
			sb.WriteString("+ " + bl[j] + "\n")
			j++
		}
	}
	if cut {
		sb.WriteString("  ... (cut)\n")
	}
	return sb.String()
}

// splitLines splits s into lines; a last line without "\n" is marked so
// that "a" and "a\n" differ visibly.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if l == "" {
			continue
		}
		if strings.HasSuffix(l, "\n") {
			out = append(out, Visible(strings.TrimSuffix(l, "\n")))
		} else {
			out = append(out, Visible(l)+" (no newline at end)")
		}
	}
	return out
}

// Visible escapes control characters (tabs, carriage returns, terminal
// escapes) so that snippet output never drives the terminal.
func Visible(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			sb.WriteString(`\t`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r == '\uFFFD':
			sb.WriteString(`\ufffd`)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
