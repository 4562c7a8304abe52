package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeatmapPlacesDaysUnderTheirWeekday(t *testing.T) {
	today := time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC) // a Wednesday
	counts := map[string]int{
		"2026-03-04": 8, // today: busiest
		"2026-03-02": 1, // this Monday
		"2026-02-22": 4, // a Sunday three weeks back... the week before last
	}
	got := Heatmap(counts, today, 12, false)
	lines := strings.Split(got, "\n")
	require.Len(t, lines, 9, got)
	assert.Contains(t, lines[0], "Dec")
	assert.Contains(t, lines[0], "Mar")
	mon, wed, thu, sun := lines[1], lines[3], lines[4], lines[7]
	// The last column is this week: Monday light, Wednesday darkest,
	// Thursday not yet drawn.
	assert.True(t, strings.HasSuffix(mon, "░"), "Monday row %q", mon)
	assert.True(t, strings.HasSuffix(wed, "█"), "Wednesday row %q", wed)
	assert.Equal(t, len([]rune(thu))+2, len([]rune(wed)), "Thursday stops a column short")
	// Sunday 22 Feb is in the week before last: its row ends "▒ ·"
	assert.True(t, strings.HasSuffix(sun, "▒ ·"), "Sunday row %q", sun)
	assert.Contains(t, lines[8], "busiest day: 8")
}

func TestHeatmapNamesEveryMonthItShows(t *testing.T) {
	// 12 weeks to Monday 16 March 2026 start on Monday 29 December: the
	// first column is the last days of December, and January is named.
	got := Heatmap(nil, time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC), 12, false)
	head := strings.Split(got, "\n")[0]
	assert.Equal(t, "      Jan     Feb     Mar", head)
}

func TestLevel(t *testing.T) {
	for _, tc := range []struct{ n, max, want int }{
		{0, 10, 0}, {1, 10, 1}, {3, 10, 1}, {4, 10, 2}, {10, 10, 4}, {1, 1, 1}, {5, 0, 0},
	} {
		assert.Equal(t, tc.want, level(tc.n, tc.max), "level(%d, %d)", tc.n, tc.max)
	}
}

func TestColumnsScaleToTheTallest(t *testing.T) {
	got := Columns([]int{4, 0, 2, 1}, []string{"today", "", "", ""}, 4, false)
	lines := strings.Split(got, "\n")
	require.Len(t, lines, 6, got)
	assert.Equal(t, "   4 █", lines[0])
	assert.Equal(t, "     █   █", lines[2])
	assert.Equal(t, "     █   █ █", lines[3])
	assert.Equal(t, "   0 ───────", lines[4])
	assert.Equal(t, "     today", lines[5])
}

func TestBar(t *testing.T) {
	assert.Equal(t, "█████·····", Bar(0.5, 10, false))
	assert.Equal(t, "··········", Bar(0, 10, false))
	assert.Equal(t, "██████████", Bar(1.2, 10, false))
	assert.Equal(t, "██▌·······", Bar(0.25, 10, false))
}
