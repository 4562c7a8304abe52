package jsonout

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteEscapesC1(t *testing.T) {
	in := map[string]string{"prompt": "csi \u009b31m, nel \u0085, esc \x1b, del \x7f, <b>&, é ✓ \u00a0"}
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, in))
	assert.Equal(t, "{\n  \"prompt\": \"csi \\u009b31m, nel \\u0085, esc \\u001b, del \\u007f, <b>&, é ✓ \u00a0\"\n}\n", buf.String())

	var back map[string]string
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, in, back, "the escapes decode to the same text")
}

func FuzzEscapeC1(f *testing.F) {
	f.Add("\u009b[2J\u0080\u009f\u00a0é")
	f.Add("\xc2\x9b\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, s))
		for _, r := range buf.String() {
			if r < 0x20 && r != '\n' || r >= 0x80 && r <= 0x9f || r == 0x7f {
				t.Fatalf("Write(%q) keeps control %U", s, r)
			}
		}
		var back string
		require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
		want, _ := json.Marshal(s) // invalid UTF-8 becomes U+FFFD, as encoding/json does
		var wantS string
		require.NoError(t, json.Unmarshal(want, &wantS))
		assert.Equal(t, wantS, back)
	})
}

func TestEscapingLines(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(Escaping(&buf))
	require.NoError(t, enc.Encode(map[string]string{"given": "\u009b2J"}))
	require.NoError(t, enc.Encode(map[string]string{"given": "ok"}))
	assert.Equal(t, "{\"given\":\"\\u009b2J\"}\n{\"given\":\"ok\"}\n", buf.String())
}
