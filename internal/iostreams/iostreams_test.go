package iostreams

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestColorRule(t *testing.T) {
	tests := []struct {
		env  map[string]string
		tty  bool
		want bool
	}{
		{nil, true, true},
		{nil, false, false},
		{map[string]string{"NO_COLOR": "1"}, true, false},
		{map[string]string{"CLICOLOR": "0"}, true, false},
		{map[string]string{"CLICOLOR_FORCE": "1"}, false, true},
		{map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, false, true},
		{map[string]string{"CLICOLOR_FORCE": "0"}, false, false},
	}
	for _, tt := range tests {
		got := ColorRule(func(k string) string { return tt.env[k] }, tt.tty)
		assert.Equal(t, tt.want, got, "ColorRule(%v, tty=%v)", tt.env, tt.tty)
	}
}
