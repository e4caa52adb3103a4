package kernel

import (
	"container/list"
	"sync"
)

// LRU is a bounded map that forgets its least recently used entry when it grows past its bound.
// It is for in-process caches of values that are expensive to compute and cheap to check for
// staleness (the caller stores whatever it needs to check against). Safe for concurrent use.
type LRU[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front: most recently used; values are *lruEntry[K, V]
	entries map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key   K
	value V
}

// NewLRU returns an empty LRU holding at most size entries (at least one).
func NewLRU[K comparable, V any](size int) *LRU[K, V] {
	size = max(size, 1)
	return &LRU[K, V]{max: size, order: list.New(), entries: make(map[K]*list.Element, size)}
}

// Get returns the value stored for key and marks it most recently used.
func (c *LRU[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry[K, V]).value, true
}

// Put stores value for key, replacing any earlier value, and evicts the least recently used entry
// beyond the bound.
func (c *LRU[K, V]) Put(key K, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		el.Value.(*lruEntry[K, V]).value = value
		c.order.MoveToFront(el)
		return
	}
	c.entries[key] = c.order.PushFront(&lruEntry[K, V]{key: key, value: value})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*lruEntry[K, V]).key)
	}
}

// Len is the number of entries held.
func (c *LRU[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
