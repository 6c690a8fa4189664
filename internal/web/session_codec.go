package web

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec writes a session's values as JSON. scs's default, gob,
// compiled its decoder anew for every request's session: 6% of the charity
// home's CPU. The portal keeps only strings and int64s in a session, so
// those are the two kinds it writes; any other is an error at the first
// test that stores it.
type sessionCodec struct{}

type sessionJSON struct {
	Deadline time.Time         `json:"d"`
	Strings  map[string]string `json:"s,omitempty"`
	Ints     map[string]int64  `json:"i,omitempty"`
}

func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	out := sessionJSON{Deadline: deadline}
	for k, v := range values {
		switch v := v.(type) {
		case string:
			if out.Strings == nil {
				out.Strings = map[string]string{}
			}
			out.Strings[k] = v
		case int64:
			if out.Ints == nil {
				out.Ints = map[string]int64{}
			}
			out.Ints[k] = v
		default:
			return nil, fmt.Errorf("session value %q: a %T, and sessions keep only strings and int64s", k, v)
		}
	}
	return json.Marshal(out)
}

// Decode reads what Encode wrote, and a session that gob wrote before the
// codec changed, so nobody is signed out by the change.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != '{' {
		return scs.GobCodec{}.Decode(b)
	}
	var in sessionJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return time.Time{}, nil, err
	}
	values := make(map[string]any, len(in.Strings)+len(in.Ints))
	for k, v := range in.Strings {
		values[k] = v
	}
	for k, v := range in.Ints {
		values[k] = v
	}
	return in.Deadline, values, nil
}
