package main

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// vt is the little of a VT100/xterm screen that pyquiz and the terminal's
// echo use: printable text with automatic wrap, CR, LF and backspace,
// cursor save and restore (ESC 7, ESC 8), cursor moves (CSI H, A, B, C, D),
// erasing (CSI K, CSI J), the scrolling region (CSI r) and SGR (ignored).
// The pty command feeds it what the program and the echo wrote, so a
// script can check what a user would see rather than the bytes.
type vt struct {
	rows, cols   int
	cells        [][]rune
	y, x         int
	wrapNext     bool // the last column was written: the next rune wraps
	top, bottom  int  // scrolling region, 0-based, inclusive
	savedY, savX int
}

func newVT(rows, cols int) *vt {
	v := &vt{rows: rows, cols: cols, bottom: rows - 1}
	v.cells = make([][]rune, rows)
	for i := range v.cells {
		v.cells[i] = blank(cols)
	}
	return v
}

func blank(n int) []rune { return []rune(strings.Repeat(" ", n)) }

// Screen is the screen's rows, trailing spaces trimmed, one a line.
func (v *vt) Screen() string {
	lines := make([]string, v.rows)
	for i, r := range v.cells {
		lines[i] = strings.TrimRight(string(r), " ")
	}
	return strings.Join(lines, "\n")
}

func (v *vt) lineFeed() {
	if v.y == v.bottom {
		copy(v.cells[v.top:v.bottom], v.cells[v.top+1:v.bottom+1])
		v.cells[v.bottom] = blank(v.cols)
		return
	}
	if v.y < v.rows-1 {
		v.y++
	}
}

func (v *vt) put(r rune) {
	if v.wrapNext {
		v.x, v.wrapNext = 0, false
		v.lineFeed()
	}
	v.cells[v.y][v.x] = r
	if v.x == v.cols-1 {
		v.wrapNext = true
	} else {
		v.x++
	}
}

func clamp(n, lo, hi int) int { return max(lo, min(n, hi)) }

// Write interprets b. Escape sequences are expected whole within one call
// (the pty reader's chunks may split one; Feed keeps the rest for later).
func (v *vt) Feed(b []byte) (rest []byte) {
	for len(b) > 0 {
		switch c := b[0]; {
		case c == 0x1b:
			if len(b) < 2 {
				return b
			}
			switch b[1] {
			case '7':
				v.savedY, v.savX = v.y, v.x
				b = b[2:]
				continue
			case '8':
				v.y, v.x, v.wrapNext = v.savedY, v.savX, false
				b = b[2:]
				continue
			case '[':
				end := 2
				for end < len(b) && (b[end] < 0x40 || b[end] > 0x7e) {
					end++
				}
				if end == len(b) {
					return b
				}
				v.csi(string(b[2:end]), b[end])
				b = b[end+1:]
				continue
			}
			b = b[2:]
		case c == '\r':
			v.x, v.wrapNext = 0, false
			b = b[1:]
		case c == '\n':
			v.wrapNext = false
			v.lineFeed()
			b = b[1:]
		case c == '\b':
			if v.x > 0 {
				v.x--
			}
			v.wrapNext = false
			b = b[1:]
		case c < 0x20 || c == 0x7f:
			b = b[1:]
		default:
			r, n := utf8.DecodeRune(b)
			if r == utf8.RuneError && !utf8.FullRune(b) {
				return b
			}
			v.put(r)
			b = b[n:]
		}
	}
	return nil
}

func (v *vt) csi(params string, final byte) {
	params = strings.TrimPrefix(params, "?")
	var ns []int
	for _, p := range strings.Split(params, ";") {
		n, _ := strconv.Atoi(p)
		ns = append(ns, n)
	}
	arg := func(i, def int) int {
		if i < len(ns) && ns[i] > 0 {
			return ns[i]
		}
		return def
	}
	v.wrapNext = false
	switch final {
	case 'H', 'f':
		v.y, v.x = clamp(arg(0, 1)-1, 0, v.rows-1), clamp(arg(1, 1)-1, 0, v.cols-1)
	case 'A':
		v.y = clamp(v.y-arg(0, 1), 0, v.rows-1)
	case 'B':
		v.y = clamp(v.y+arg(0, 1), 0, v.rows-1)
	case 'C':
		v.x = clamp(v.x+arg(0, 1), 0, v.cols-1)
	case 'D':
		v.x = clamp(v.x-arg(0, 1), 0, v.cols-1)
	case 'K':
		switch arg(0, 0) {
		case 0:
			copy(v.cells[v.y][v.x:], blank(v.cols-v.x))
		case 1:
			copy(v.cells[v.y][:v.x+1], blank(v.x+1))
		case 2:
			v.cells[v.y] = blank(v.cols)
		}
	case 'J':
		if arg(0, 0) == 2 {
			for i := range v.cells {
				v.cells[i] = blank(v.cols)
			}
		}
	case 'r':
		v.top, v.bottom = arg(0, 1)-1, arg(1, v.rows)-1
		if v.top >= v.bottom || v.bottom >= v.rows {
			v.top, v.bottom = 0, v.rows-1
		}
		v.y, v.x = 0, 0
	}
}
