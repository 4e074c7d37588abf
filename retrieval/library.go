package retrieval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// supersessionsFile holds the supersessions staff declared with
// `documents supersede`: seed documents are embedded and cannot be edited,
// so what replaces them is a fact of the library.
const supersessionsFile = "supersessions.json"

// Supersessions maps a document's name to the name of the one replacing it.
type Supersessions map[string]string

// Supersessions reads the library's supersessions strictly; a missing file
// is none.
func (l Library) Supersessions() (Supersessions, error) {
	raw, err := os.ReadFile(filepath.Join(l.Dir, supersessionsFile))
	if errors.Is(err, os.ErrNotExist) {
		return Supersessions{}, nil
	}
	if err != nil {
		return nil, err
	}
	s := Supersessions{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("library %s: %s: %w", l.Dir, supersessionsFile, err)
	}
	return s, nil
}

// Supersede records that doc is replaced by by.
func (l Library) Supersede(doc, by string) error {
	s, err := l.Supersessions()
	if err != nil {
		return err
	}
	s[doc] = by
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return l.replaceFile(supersessionsFile, raw)
}

// Apply sets the supersessions on docs.
func (s Supersessions) Apply(docs []Document) {
	for i := range docs {
		if by, ok := s[docs[i].Source]; ok {
			docs[i].SupersededBy = by
		}
	}
}

func (l Library) replaceFile(name string, data []byte) error {
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return err
	}
	tmp, err := l.writeTemp(name, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Rename(tmp, filepath.Join(l.Dir, name)); err != nil {
		return err
	}
	return syncDir(l.Dir)
}

// Snapshot is the state of some of the library's files, to put back after
// a change that is refused or fails partway. Each file is kept as a second
// name (a hard link): putting it back is a rename, which needs no free
// space, so a full disk that stopped the change does not stop the undo.
type Snapshot struct {
	lib   Library
	files map[string]kept
}

// kept is one file of a snapshot: absent, a link to it, or its bytes where
// the file system has no hard links.
type kept struct {
	exists bool
	link   string
	raw    []byte
}

// Snapshot records the documents named, their facts and the
// supersessions.
func (l Library) Snapshot(names ...string) (Snapshot, error) {
	s := Snapshot{lib: l, files: map[string]kept{}}
	all := []string{supersessionsFile}
	for _, n := range names {
		all = append(all, n, n+metaSuffix)
	}
	for i, n := range all {
		p := filepath.Join(l.Dir, n)
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			s.files[n] = kept{}
			continue
		} else if err != nil {
			s.Discard()
			return Snapshot{}, err
		}
		link := filepath.Join(l.Dir, fmt.Sprintf("%ssnapshot-%d-%d-%s", tempPrefix, os.Getpid(), i, n))
		os.Remove(link)
		if err := os.Link(p, link); err == nil {
			s.files[n] = kept{exists: true, link: link}
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			s.Discard()
			return Snapshot{}, err
		}
		s.files[n] = kept{exists: true, raw: raw}
	}
	return s, nil
}

// Discard drops the snapshot's second names once the change stands.
func (s Snapshot) Discard() {
	for _, k := range s.files {
		if k.link != "" {
			os.Remove(k.link)
		}
	}
}

// Restore puts every recorded file back as it was: the facts of a document
// last, so that Load never sees a document without them; files that did not
// exist are removed, the document first.
func (s Snapshot) Restore() error {
	names := make([]string, 0, len(s.files))
	for n := range s.files {
		names = append(names, n)
	}
	// name sorts before name.meta.json: documents before their facts.
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		k, p := s.files[n], filepath.Join(s.lib.Dir, n)
		var err error
		switch {
		case !k.exists:
			if err = os.Remove(p); errors.Is(err, os.ErrNotExist) {
				err = nil
			}
		case k.link != "":
			err = os.Rename(k.link, p)
		default:
			err = s.lib.replaceFile(n, k.raw)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("restore %s: %w", n, err))
		}
	}
	if err := syncDir(s.lib.Dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Has reports whether the library holds a document of that name.
func (l Library) Has(name string) bool {
	_, err := os.Lstat(filepath.Join(l.Dir, name+metaSuffix))
	return err == nil
}

// AddAll stores every document or none: should one fail, those this call
// already stored are put back as they were (removed, or their previous
// copy restored). raws[i] are docs[i]'s original bytes.
func (l Library) AddAll(docs []Document, raws [][]byte) error {
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = d.Source
	}
	snap, err := l.Snapshot(names...)
	if err != nil {
		return err
	}
	defer snap.Discard()
	for i, d := range docs {
		if err := l.Add(d, raws[i]); err != nil {
			if i == 0 {
				return err
			}
			if rerr := snap.Restore(); rerr != nil {
				return fmt.Errorf("%w; undoing the %d documents added before it failed too: %v", err, i, rerr)
			}
			return fmt.Errorf("%w; the %d documents added before it were taken out again, so nothing changed", err, i)
		}
	}
	return nil
}

// Remove takes a document and its facts out of the library: the document
// first, so that a facts file left by a crash is ignored, never a document
// without facts.
func (l Library) Remove(name string) error {
	if name != filepath.Base(name) || !l.Has(name) {
		return fmt.Errorf("%s is not in the library", name)
	}
	if err := os.Remove(filepath.Join(l.Dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Remove(filepath.Join(l.Dir, name+metaSuffix)); err != nil {
		return err
	}
	// A supersession naming the removed document, either way, goes too:
	// it would otherwise point at nothing.
	sup, err := l.Supersessions()
	if err != nil {
		return err
	}
	changed := false
	for doc, by := range sup {
		if doc == name || by == name {
			delete(sup, doc)
			changed = true
		}
	}
	if changed {
		raw, err := json.MarshalIndent(sup, "", "  ")
		if err != nil {
			return err
		}
		if err := l.replaceFile(supersessionsFile, raw); err != nil {
			return err
		}
	}
	return syncDir(l.Dir)
}

// BuiltinNotRemovable is the refusal to remove a built-in document, the
// same from the command line and the staff pages: it names the way that
// works instead.
func BuiltinNotRemovable(name string) string {
	return fmt.Sprintf("%s is a built-in document and cannot be removed; mark it replaced with: minsheng documents supersede %s --by ID2", name, name)
}
