package exec

// eachBatch calls f with every batch of in, in order, until in ends (nil),
// in or f fails, or the statement is cancelled (ctx.Ctx), which a long
// input is checked for between batches.
func eachBatch(ctx *Context, in Operator, f func(*Batch) error) error {
	for {
		b, err := in.Next()
		if err != nil || b == nil {
			return err
		}
		if err := ctx.Ctx.Err(); err != nil {
			return err
		}
		if err := f(b); err != nil {
			return err
		}
	}
}
