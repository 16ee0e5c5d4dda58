package engine

import (
	"github.com/pqdb/pqdb/planner"
)

// set runs SET / RESET for the settings pqdb knows.
func (s *Session) set(p *planner.SetPlan) (string, error) {
	st, ok := settings[p.Name]
	if !ok {
		return "", unknownSetting(p.Name)
	}
	v := st.def
	if !p.Reset {
		v = p.Value
		if st.check != nil {
			nv, err := st.check(v)
			if err != nil {
				return "", err
			}
			v = nv
		}
	}
	s.settings[p.Name] = v
	return "SET", nil
}

// show runs SHOW name.
func (s *Session) show(p *planner.ShowPlan, formats []int16, out ResultWriter) (string, error) {
	v, ok := s.settings[p.Name]
	if !ok {
		return "", unknownSetting(p.Name)
	}
	name := p.Name
	if d, ok := displayName[name]; ok {
		name = d
	}
	if err := out.Columns([]Column{textColumn(name)}, formats); err != nil {
		return "", err
	}
	if err := out.Row([][]byte{[]byte(v)}); err != nil {
		return "", err
	}
	return "SHOW", nil
}
