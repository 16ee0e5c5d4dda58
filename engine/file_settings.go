package engine

import (
	"fmt"
	"strings"
)

// A configuration file (pqdb-server --config, in postgresql.conf's
// syntax) sets the defaults every session starts from: its settings are
// applied, as SET would apply them, before those of the client's startup
// packet, which override them; RESET returns to them; pg_settings shows
// them with source "configuration file" and the file and line that set
// each. The engine checks them when it opens, so that a bad value stops
// the server instead of every session.

// FileSetting is one setting of a configuration file.
type FileSetting struct {
	Name, Value string
	File        string
	Line        int
}

// CheckFileSettings returns the first error of fs that Open would fail
// with (a name or value SET would refuse), naming its file and line.
func CheckFileSettings(fs []FileSetting) error {
	_, err := checkFileSettings(fs)
	return err
}

// checkFileSettings checks fs against the settings sessions have and
// returns them by name, each value as SET keeps it; a later line sets a
// name again, as in PostgreSQL.
func checkFileSettings(fs []FileSetting) (map[string]FileSetting, error) {
	out := map[string]FileSetting{}
	for _, f := range fs {
		name := strings.ToLower(f.Name)
		st, ok := settings[name]
		if !ok {
			return nil, fmt.Errorf("%s:%d: %w", f.File, f.Line, unknownSetting(name))
		}
		v := f.Value
		if st.check != nil {
			var err error
			if v, err = st.check(v); err != nil {
				return nil, fmt.Errorf("%s:%d: parameter %q: %w", f.File, f.Line, name, err)
			}
		}
		f.Name, f.Value = name, v
		out[name] = f
	}
	return out, nil
}
