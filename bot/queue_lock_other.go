//go:build !unix

package bot

// lockFile is a no-op where there is no flock: the queue's mutex still
// orders one process's writers, and a second process (an operator's ask
// during a compaction) may lose a line.
func lockFile(string) (unlock func(), err error) { return func() {}, nil }
