//go:build linux || darwin || freebsd

package retrieval

import "golang.org/x/sys/unix"

// freeSpace is the room left in dir's file system for an unprivileged
// writer (the server does not run as root); ok is false when it is unknown.
func freeSpace(dir string) (free uint64, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
