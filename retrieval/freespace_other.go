//go:build !(linux || darwin || freebsd)

package retrieval

// freeSpace cannot tell here; Library.Add then relies on its temporary
// files alone, which keep the library whole on a full disk all the same.
func freeSpace(string) (uint64, bool) { return 0, false }
