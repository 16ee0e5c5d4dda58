package wire

// Terminatable is implemented by a Session that other sessions can end
// (pg_terminate_backend). After startup the wire layer hands it a
// function that ends the connection with FATAL 57P01 "terminating
// connection due to administrator command": at once when the connection
// is idle, else when its running statement returns (the session cancels
// that itself). The function may be called from any goroutine.
type Terminatable interface {
	SetTerminate(terminate func())
}
