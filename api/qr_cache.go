package api

import (
	"container/list"
	"sync"
)

// qrCacheEntries bounds the rendered QR images kept in memory (each 1–20 KB).
const qrCacheEntries = 64

// qrCache keeps the most recently rendered QR PNGs by content and size, so a page that fetches
// its QR image again (reload, another size) does not pay for rendering twice. Whether the code
// may still be shown is decided before the cache is consulted, on every request; the cache only
// saves the drawing. Safe for concurrent use.
type qrCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front: most recently used; values are *qrCacheEntry
	entries map[qrCacheKey]*list.Element
}

type qrCacheKey struct {
	content string
	size    int
}

type qrCacheEntry struct {
	key qrCacheKey
	png []byte
}

func newQRCache(max int) *qrCache {
	return &qrCache{max: max, order: list.New(), entries: make(map[qrCacheKey]*list.Element, max)}
}

// get returns the cached PNG for content at size, if any. Callers must not modify it.
func (c *qrCache) get(content string, size int) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[qrCacheKey{content, size}]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*qrCacheEntry).png, true
}

// put stores a rendered PNG, evicting the least recently used entry beyond the bound.
func (c *qrCache) put(content string, size int, png []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := qrCacheKey{content, size}
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.entries[key] = c.order.PushFront(&qrCacheEntry{key: key, png: png})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*qrCacheEntry).key)
	}
}
