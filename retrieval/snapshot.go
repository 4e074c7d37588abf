package retrieval

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// Key is the content key an index over docs built with opt has: what a
// saved index, or a snapshot of one kept elsewhere, is looked up by.
func Key(docs []Document, opt Options) string {
	opt.defaults()
	return contentKey(docs, opt)
}

// SnapshotDir is the folder of dir in which Open keeps the saved index:
// copied whole, it is a snapshot another process can load.
func SnapshotDir(dir string) string { return filepath.Join(dir, "index") }

// SavedKey is the content key of the index saved in dir, "" when there is
// none that can be read. Open still checks the files against it.
func SavedKey(dir string) string {
	raw, err := os.ReadFile(filepath.Join(SnapshotDir(dir), "manifest.json"))
	if err != nil {
		return ""
	}
	var m manifest
	if json.Unmarshal(raw, &m) != nil || m.Format != formatVersion {
		return ""
	}
	return m.Key
}
