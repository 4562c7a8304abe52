// Package jsonout writes pyquiz's JSON output: indented, with <, > and &
// left as they are, and DEL and every C1 control character (U+0080-U+009F)
// escaped as \u007f and \u0080-\u009f. encoding/json escapes C0 controls
// but passes these through raw, and some terminals obey U+009B as the start of an escape sequence:
// `pyquiz show --json` of a hostile pack must be safe to print on a terminal.
// Every --json output and JSON report goes through Write.
package jsonout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Write encodes v as indented JSON followed by a newline.
func Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(EscapeC1(buf.Bytes()))
	return err
}

// EscapeC1 rewrites DEL (0x7F) and the UTF-8 encoding of U+0080-U+009F
// (0xC2 0x80-0x9F) in encoded JSON as \u007f and \u0080-\u009f. In valid
// JSON text those bytes can only be inside strings (the syntax is ASCII),
// where the escape means the same character; encoding/json emits valid
// UTF-8, so 0xC2 always starts a rune.
func EscapeC1(data []byte) []byte {
	i, n := controlIndex(data)
	if i < 0 {
		return data
	}
	out := make([]byte, 0, len(data)+16)
	for i >= 0 {
		out = append(out, data[:i]...)
		out = fmt.Appendf(out, `\u%04x`, data[i+n-1])
		data = data[i+n:]
		i, n = controlIndex(data)
	}
	return append(out, data...)
}

// controlIndex finds the next DEL or C1 character and its length in bytes.
func controlIndex(data []byte) (int, int) {
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == 0x7f:
			return i, 1
		case data[i] == 0xc2 && i+1 < len(data) && data[i+1] >= 0x80 && data[i+1] <= 0x9f:
			return i, 2
		}
	}
	return -1, 0
}

// Escaping wraps w for a json.Encoder that streams many values, such as
// JSON Lines: each Write (json.Encoder writes one whole value per call) has
// its C1 controls and DEL escaped as Write does.
func Escaping(w io.Writer) io.Writer { return escaping{w} }

type escaping struct{ w io.Writer }

func (e escaping) Write(p []byte) (int, error) {
	if _, err := e.w.Write(EscapeC1(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
