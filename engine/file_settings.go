package engine

import (
	"fmt"
	"strings"

	"github.com/pqdb/pqdb/catalog/pgcatalog"
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

// FileSettings lists the configuration file's settings in the order
// read, each applied unless a later line set the same name.
func (d sessionDatabase) FileSettings() []pgcatalog.FileSetting {
	all := d.s.eng.fileSettingList
	out := make([]pgcatalog.FileSetting, len(all))
	for i, f := range all {
		applied := d.s.eng.fileSettings[f.Name] == f
		out[i] = pgcatalog.FileSetting{File: f.File, Line: int32(f.Line), Name: f.Name, Value: f.Value, Applied: applied}
	}
	return out
}

// CheckFileSettings returns the first error of fs that Open would fail
// with (a name or value SET would refuse), naming its file and line.
func CheckFileSettings(fs []FileSetting) error {
	_, _, err := checkFileSettings(fs)
	return err
}

// checkFileSettings checks fs against the settings sessions have and
// returns them in order and by name, each value as SET keeps it; a later
// line sets a name again, as in PostgreSQL.
func checkFileSettings(fs []FileSetting) ([]FileSetting, map[string]FileSetting, error) {
	out := map[string]FileSetting{}
	list := make([]FileSetting, 0, len(fs))
	for _, f := range fs {
		name := strings.ToLower(f.Name)
		st, ok := settings[name]
		if !ok {
			return nil, nil, fmt.Errorf("%s:%d: %w", f.File, f.Line, unknownSetting(name))
		}
		v := f.Value
		if st.check != nil {
			var err error
			if v, err = st.check(v); err != nil {
				return nil, nil, fmt.Errorf("%s:%d: parameter %q: %w", f.File, f.Line, name, err)
			}
		}
		f.Name, f.Value = name, v
		out[name] = f
		list = append(list, f)
	}
	return list, out, nil
}
