package wire

// ParameterChangeReporter is implemented by a Session that can tell,
// more cheaply than ParameterStatus builds its map, whether any reported
// setting may have changed since ParameterStatus was last called. The
// protocol layer asks before every ReadyForQuery, and only calls
// ParameterStatus (and compares its answer with what the client was told)
// when it answers true.
type ParameterChangeReporter interface {
	ParameterStatusChanged() bool
}
