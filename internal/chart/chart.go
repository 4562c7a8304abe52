// Package chart draws small terminal charts from text: a calendar heatmap
// (GitHub's contribution graph), vertical bars (Anki's Future Due) and
// horizontal percentage bars. Each returns lines without a trailing
// newline; with color false they use shading characters only, so the
// pictures survive NO_COLOR.
package chart

import (
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
)

var (
	stDim   = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	stLevel = []lipgloss.Style{
		lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
		lipgloss.NewStyle().Foreground(lipgloss.Color("22")),
		lipgloss.NewStyle().Foreground(lipgloss.Color("28")),
		lipgloss.NewStyle().Foreground(lipgloss.Color("34")),
		lipgloss.NewStyle().Foreground(lipgloss.Color("46")),
	}
	stBar  = lipgloss.NewStyle().Foreground(lipgloss.Color("4"))
	stGood = lipgloss.NewStyle().Foreground(lipgloss.Color("2"))
	stMid  = lipgloss.NewStyle().Foreground(lipgloss.Color("3"))
	stBad  = lipgloss.NewStyle().Foreground(lipgloss.Color("1"))
)

func paint(color bool, st lipgloss.Style, s string) string {
	if !color {
		return s
	}
	return st.Render(s)
}

// glyphs shade the heatmap's levels 0 (nothing) to 4 without colour.
var glyphs = []string{"·", "░", "▒", "▓", "█"}

// level puts n on a 0-4 scale of max: 0 only for nothing, 4 for the
// busiest days.
func level(n, max int) int {
	if n <= 0 || max <= 0 {
		return 0
	}
	return min(1+int(math.Floor(float64(n-1)*4/float64(max))), 4)
}

// Heatmap draws a calendar of counts: one column per week (Monday at the
// top), the last weeks ending with the week of today, month names above.
// counts is keyed by date ("2006-01-02"). Days after today stay blank.
func Heatmap(counts map[string]int, today time.Time, weeks int, color bool) string {
	y, m, d := today.Date()
	today = time.Date(y, m, d, 0, 0, 0, 0, today.Location())
	offset := (int(today.Weekday()) + 6) % 7 // days since Monday
	start := today.AddDate(0, 0, -offset-7*(weeks-1))
	max := 0
	for day := start; !day.After(today); day = day.AddDate(0, 0, 1) {
		if n := counts[day.Format("2006-01-02")]; n > max {
			max = n
		}
	}
	var b strings.Builder
	// Month names over the first week of each month, where they fit.
	head := []rune(strings.Repeat(" ", 4+2*weeks+4))
	free := 0 // first column a name may start at
	for w := 0; w < weeks; w++ {
		mon := start.AddDate(0, 0, 7*w)
		if w > 0 && mon.AddDate(0, 0, -7).Month() == mon.Month() {
			continue
		}
		if w == 0 && weeks > 1 && mon.AddDate(0, 0, 7).Month() != mon.Month() {
			continue // the first column is the last days of a month: name the next one
		}
		name := []rune(mon.Format("Jan"))
		pos := 4 + 2*w
		if pos >= free && pos+len(name) <= len(head) {
			copy(head[pos:], name)
			free = pos + len(name) + 1
		}
	}
	b.WriteString(strings.TrimRight(string(head), " "))
	names := []string{"Mon", "", "Wed", "", "Fri", "", "Sun"}
	for row := 0; row < 7; row++ {
		b.WriteString("\n")
		fmt.Fprintf(&b, "%-4s", names[row])
		for w := 0; w < weeks; w++ {
			day := start.AddDate(0, 0, 7*w+row)
			if day.After(today) {
				break
			}
			if w > 0 {
				b.WriteString(" ")
			}
			lv := level(counts[day.Format("2006-01-02")], max)
			cell := glyphs[lv]
			if color {
				cell = "■"
				if lv == 0 {
					cell = "·"
				}
				cell = stLevel[lv].Render(cell)
			}
			b.WriteString(cell)
		}
	}
	b.WriteString("\n    less ")
	for lv := range glyphs {
		cell := glyphs[lv]
		if color {
			cell = "■"
			if lv == 0 {
				cell = "·"
			}
			cell = stLevel[lv].Render(cell)
		}
		b.WriteString(cell + " ")
	}
	b.WriteString("more")
	if max > 0 {
		fmt.Fprintf(&b, " (busiest day: %d)", max)
	}
	return b.String()
}

// eighths draw the top of a bar in eighths of a row.
var eighths = []string{" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

// Columns draws values as vertical bars, height rows tall, one column per
// value with a space between. labels (same length as values, "" for
// none) are written under their columns. The scale is shown at the top.
func Columns(values []int, labels []string, height int, color bool) string {
	max := 0
	for _, v := range values {
		if v > max {
			max = v
		}
	}
	var b strings.Builder
	for row := height; row >= 1; row-- {
		if row == height {
			fmt.Fprintf(&b, "%4d ", max)
		} else {
			b.WriteString("     ")
		}
		var line strings.Builder
		for _, v := range values {
			cell := " "
			if max > 0 && v > 0 {
				// eighths of a row filled, at least one for any non-zero value
				fill := max8(int(math.Round(float64(v)*float64(height*8)/float64(max))), 1)
				full := fill / 8
				switch {
				case row <= full:
					cell = "█"
				case row == full+1 && fill%8 > 0:
					cell = eighths[fill%8]
				}
			}
			line.WriteString(cell + " ")
		}
		b.WriteString(paint(color, stBar, strings.TrimRight(line.String(), " ")))
		b.WriteString("\n")
	}
	b.WriteString("   0 " + strings.Repeat("─", 2*len(values)-1) + "\n     ")
	axis := []rune(strings.Repeat(" ", 2*len(values)+8))
	for i, l := range labels {
		if l != "" && 2*i+len(l) <= len(axis) {
			copy(axis[2*i:], []rune(l))
		}
	}
	b.WriteString(strings.TrimRight(string(axis), " "))
	return b.String()
}

func max8(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Bar is a horizontal bar of frac (0-1) width cells wide, in eighths,
// coloured red, yellow or green by the share when colour is on.
func Bar(frac float64, width int, color bool) string {
	frac = math.Max(0, math.Min(1, frac))
	fill := int(math.Round(frac * float64(width) * 8))
	left := []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}
	bar := strings.Repeat("█", fill/8) + left[fill%8]
	n := len([]rune(bar))
	rest := strings.Repeat("·", width-n)
	st := stGood
	switch {
	case frac < 0.5:
		st = stBad
	case frac < 0.8:
		st = stMid
	}
	return paint(color, st, bar) + paint(color, stDim, rest)
}
