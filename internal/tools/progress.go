package tools

import (
	"context"
	"io"
)

type progressKey struct{}

// WithProgress returns a context under which a tool writes its output to w as it comes, for
// people watching a long command; the result still carries the whole output. w must not
// block: the command's output goes through it.
func WithProgress(ctx context.Context, w io.Writer) context.Context {
	return context.WithValue(ctx, progressKey{}, w)
}

func progressFrom(ctx context.Context) io.Writer {
	w, _ := ctx.Value(progressKey{}).(io.Writer)
	return w
}
