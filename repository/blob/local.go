package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const (
	dirMode  = 0o700
	fileMode = 0o600
	// tempPattern names files being written. Its capital letters make it impossible as a key segment,
	// so a temporary file can never be mistaken for, or collide with, an object.
	tempPattern = "TMP-*.partial"
)

// Local is a Store keeping each object in a file under a root directory, at the object's key as a relative
// path; a key's directories ("shards") are created as needed. Writes are atomic: a reader sees the old
// object or the new one, never part of one. A key cannot also name a directory of other keys: with
// "a/b" stored, putting "a" fails. Local is safe for concurrent use.
type Local struct {
	root string
}

// NewLocal returns a Local rooted at dir, creating dir (mode 0700) if it does not exist.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob root %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, dirMode); err != nil {
		return nil, fmt.Errorf("create blob root: %w", err)
	}
	return &Local{root: abs}, nil
}

func (l *Local) path(key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Put stores data under key with mode 0600. It writes a temporary file in the key's directory, syncs it,
// renames it over the key and syncs the directory, so that the object survives a crash once Put returns.
func (l *Local) Put(ctx context.Context, key string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	path, err := l.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := l.makeDirs(dir); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := writeSynced(tmp, data); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// makeDirs creates dir and its missing parents under the root, as os.MkdirAll does, and syncs the
// parent of each directory it finds missing. Put syncs the directory the object is renamed into,
// which makes the object's entry durable but not the entry of a directory created for it: without
// the parent's sync a crash could lose a new shard, and the object in it, after Put returned.
// Another Put creating the same directory at the same moment may not have synced its parent yet,
// so a directory found created meanwhile has its parent synced too.
func (l *Local) makeDirs(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if dir != l.root && parent != dir {
		if err := l.makeDirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, dirMode); err != nil {
		if fi, serr := os.Stat(dir); !errors.Is(err, fs.ErrExist) || serr != nil || !fi.IsDir() {
			return err
		}
	}
	return syncDir(parent)
}

// writeSynced writes data to f, sets its mode, flushes it to disk and closes it.
func writeSynced(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(fileMode)
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// Get returns the object under key, or an error wrapping ErrNotFound when there is none.
func (l *Local) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path, err := l.path(key)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("get %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	return data, nil
}

// Delete removes the object under key. A missing object is not an error; the key's directories stay.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	path, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
