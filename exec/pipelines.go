package exec

import (
	"context"
	"errors"
	"sync"

	"github.com/pqdb/pqdb/pgerr"
)

// runPipelines runs run(i) for every pipeline i < n, each on a goroutine
// of its own, and returns their errors once all have ended. The first
// error, or panic, calls cancel, which stops the others.
func runPipelines(n int, cancel context.CancelFunc, run func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A panic here would end the process, not the statement.
			defer func() {
				if r := recover(); r != nil {
					errs[i] = pgerr.FromPanic(r)
					cancel()
				}
			}()
			if err := run(i); err != nil {
				errs[i] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	return errs
}

// pipelinesError is what the statement reports of its pipelines' errors:
// a pipeline that failed cancelled the others, so its error, not their
// cancellations. It is nil when none failed.
func pipelinesError(errs []error) error {
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}
