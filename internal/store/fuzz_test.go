package store

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzReadJSONL feeds `progress import` any bytes: it must never panic,
// and whatever it accepts must survive an export and a second read as the
// same attempts (so importing an export twice changes nothing).
func FuzzReadJSONL(f *testing.F) {
	// testdata/fuzz/FuzzReadJSONL holds a real export as the seed corpus.
	f.Add([]byte(`{"question":"p/q","pack_version":"1","session":"s","mode":"exam","given":"","correct":false,"points":0,"max":2,"hints":1,"seconds":0,"at":"2026-03-02T09:00:00.5+02:00","status":"not-reached","rating":0}`))
	f.Add([]byte(`{"question":"p/q","session":"s","mode":"study","given":"c","correct":true,"points":1,"max":1,"at":"2026-03-02T09:00:00Z","order":"c,a,d,b"}`))
	f.Add([]byte("{}\n\n[]\nnull\n{\"question\":1}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ReadJSONL(bytes.NewReader(data), "fuzz.jsonl")
		if err != nil {
			require.Nil(t, as, "attempts returned with an error: %v", err)
			return
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, a := range as {
			require.NoError(t, enc.Encode(LineOf(a)), "encode %+v", a)
		}
		again, err := ReadJSONL(&b, "again.jsonl")
		require.NoError(t, err, "an accepted file does not read back after export:\n%s", b.String())
		require.Len(t, again, len(as))
		for i := range as {
			x, y := as[i], again[i]
			x.Seconds, y.Seconds = 0, 0 // export rounds to milliseconds
			require.Equal(t, x, y, "attempt %d changed on the way round", i)
		}
	})
}
