package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func exportAll(t *testing.T, s *Store) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	require.NoError(t, s.EachAttempt(context.Background(), func(a Attempt) error { return enc.Encode(LineOf(a)) }))
	return b.String()
}

func TestExportImportRoundTripRebuildsTheSameCards(t *testing.T) {
	src := openTemp(t)
	ctx := context.Background()
	id := startSession(t, src, t0)
	for day := 0; day < 10; day++ {
		at := t0.Add(time.Duration(day) * 24 * time.Hour)
		require.NoError(t, src.RecordAttempt(ctx, answer(id, "basics/a", day%3 != 0, at)))
		require.NoError(t, src.RecordAttempt(ctx, answer(id, "basics/b", true, at.Add(time.Minute))))
	}
	file := exportAll(t, src)
	as, err := ReadJSONL(strings.NewReader(file), "x.jsonl")
	require.NoError(t, err)
	require.Len(t, as, 20)

	dst := openTemp(t)
	added, err := dst.Import(ctx, as)
	require.NoError(t, err)
	assert.Equal(t, 20, added)
	added, err = dst.Import(ctx, as)
	require.NoError(t, err)
	assert.Equal(t, 0, added, "importing twice changes nothing")

	want, err := src.Cards(ctx)
	require.NoError(t, err)
	got, err := dst.Cards(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, file, exportAll(t, dst))
}

func TestImportOfOlderAnswersReplaysTheSchedule(t *testing.T) {
	// Answers given on another machine before today's interleave with the
	// local ones: the card is as if all had been given here.
	ctx := context.Background()
	laptop := openTemp(t)
	l := startSession(t, laptop, t0)
	require.NoError(t, laptop.RecordAttempt(ctx, answer(l, "basics/a", false, t0)))
	here := openTemp(t)
	h := startSession(t, here, t0.Add(48*time.Hour))
	require.NoError(t, here.RecordAttempt(ctx, answer(h, "basics/a", true, t0.Add(48*time.Hour))))

	as, err := ReadJSONL(strings.NewReader(exportAll(t, laptop)), "laptop.jsonl")
	require.NoError(t, err)
	_, err = here.Import(ctx, as)
	require.NoError(t, err)
	cards, err := here.Cards(ctx)
	require.NoError(t, err)
	require.Len(t, cards, 1)
	want := Next(Next(Card{}.Card, t0, Again), t0.Add(48*time.Hour), Good)
	assert.Equal(t, want.Due, cards[0].Due)
	assert.Equal(t, uint64(2), cards[0].Reps)
}

func TestResetOnePackLeavesTheOthers(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := startSession(t, s, t0)
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/a", true, t0)))
	other := startSession(t, s, t0.Add(time.Hour))
	require.NoError(t, s.RecordAttempt(ctx, answer(other, "other/x", true, t0.Add(time.Hour))))
	n, sessions, err := s.Count(ctx, "basics")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, sessions)

	deleted, err := s.Reset(ctx, "basics")
	require.NoError(t, err)
	assert.Equal(t, 1, deleted)
	cards, err := s.Cards(ctx)
	require.NoError(t, err)
	require.Len(t, cards, 1)
	assert.Equal(t, "other/x", cards[0].Question)
	list, err := s.Sessions(ctx, 0)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, other, list[0].ID)

	_, err = s.Reset(ctx, "")
	require.NoError(t, err)
	n, _, err = s.Count(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, 0, n)
}

func TestReadJSONLReportsEveryBadLine(t *testing.T) {
	good := `{"question":"p/q","pack_version":"1","session":"s","mode":"study","given":"b","correct":true,"points":1,"max":1,"hints":0,"seconds":2.5,"at":"2026-03-02T09:00:00Z"}`
	in := strings.Join([]string{
		good,
		"",
		`{"question":"p/q"`,
		`{"question":"pq","pack_version":"1","session":"s","mode":"study","given":"b","correct":true,"points":1,"max":1,"hints":0,"seconds":2.5,"at":"2026-03-02T09:00:00Z"}`,
		strings.Replace(good, `"points":1`, `"points":2`, 1),
		strings.Replace(good, `"at":"2026-03-02T09:00:00Z"`, `"at":"yesterday"`, 1),
		strings.Replace(good, `"correct":true`, `"correct":"yes"`, 1),
		good + good,
		strings.Replace(good, `"given":"b"`, `"given":""`, 1),
	}, "\n")
	_, err := ReadJSONL(strings.NewReader(in), "f.jsonl")
	var les LineErrors
	require.ErrorAs(t, err, &les)
	msgs := strings.Split(err.Error(), "\n")
	assert.Equal(t, []string{
		"f.jsonl:3:18: not JSON: the line ends inside a value",
		`f.jsonl:4: question "pq": want a full id such as pitfalls/late-binding`,
		"f.jsonl:5: points 2: want a score between -max and max (1)",
		`f.jsonl:6: at "yesterday": want an RFC 3339 time such as 2026-03-02T09:00:00Z`,
		"f.jsonl:7:89: field correct: want a bool, not a JSON string",
		"f.jsonl:8:165: one JSON object per line, and this line has more",
		"f.jsonl:9: correct is true for a question skipped",
	}, msgs)

	as, err := ReadJSONL(strings.NewReader(good+"\n"+strings.Replace(strings.Replace(good, `"given":"b"`, `"given":""`, 1), `"correct":true`, `"correct":false`, 1)), "ok.jsonl")
	require.NoError(t, err)
	require.Len(t, as, 2)
	assert.Equal(t, Good, as[0].Rating)
	assert.Equal(t, StatusAnswered, as[0].Status)
	assert.Equal(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), as[0].At)
	assert.Equal(t, StatusSkipped, as[1].Status, "no answer given and no status: skipped")
	assert.Equal(t, Again, as[1].Rating)
}

func TestReadJSONLRefusesAnOverlongLineAndGoesOn(t *testing.T) {
	long := `{"question":"` + strings.Repeat("x", 2<<20) + `"}`
	_, err := ReadJSONL(strings.NewReader(long+"\n{}\n"+long), "big.jsonl")
	require.Error(t, err)
	assert.Equal(t, "big.jsonl:1: line longer than 1048576 bytes\nbig.jsonl:2: missing field \"question\"\nbig.jsonl:3: line longer than 1048576 bytes", err.Error())
}
