package wire

// ParameterChecker is implemented by a Session that can read Bind's
// parameter values before the portal runs. PostgreSQL converts them at
// Bind, so a value that does not read as its type (22P02) is reported in
// answer to Bind, before BindComplete, and not at Execute. The args and
// formats passed are the portal's own, never changed afterwards, so a
// Session may keep what it read for the portal's Execute.
type ParameterChecker interface {
	CheckParameters(paramOIDs []uint32, args [][]byte, formats []int16) error
}
