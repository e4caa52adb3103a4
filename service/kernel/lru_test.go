package kernel

import (
	"sync"
	"testing"
)

func TestLRU(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		puts    []int // keys put in order, value = key*10
		gets    []int // keys read after the puts, in order (refreshing them)
		more    []int // keys put after the reads
		present []int
		absent  []int
	}{
		{name: "under the bound keeps all", size: 3, puts: []int{1, 2, 3}, present: []int{1, 2, 3}},
		{name: "evicts the oldest", size: 2, puts: []int{1, 2, 3}, present: []int{2, 3}, absent: []int{1}},
		{name: "a read refreshes", size: 2, puts: []int{1, 2}, gets: []int{1}, more: []int{3}, present: []int{1, 3}, absent: []int{2}},
		{name: "a put replaces and refreshes", size: 2, puts: []int{1, 2, 1}, more: []int{3}, present: []int{1, 3}, absent: []int{2}},
		{name: "size below one holds one", size: 0, puts: []int{1, 2}, present: []int{2}, absent: []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewLRU[int, int](tt.size)
			for _, k := range tt.puts {
				c.Put(k, k*10)
			}
			for _, k := range tt.gets {
				c.Get(k)
			}
			for _, k := range tt.more {
				c.Put(k, k*10)
			}
			for _, k := range tt.present {
				if v, ok := c.Get(k); !ok || v != k*10 {
					t.Errorf("Get(%d) = %d, %v; want %d, true", k, v, ok, k*10)
				}
			}
			for _, k := range tt.absent {
				if _, ok := c.Get(k); ok {
					t.Errorf("Get(%d) found an evicted key", k)
				}
			}
			if c.Len() != len(tt.present) {
				t.Errorf("Len() = %d, want %d", c.Len(), len(tt.present))
			}
		})
	}
}

func TestLRUConcurrent(t *testing.T) {
	c := NewLRU[int, int](8)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				c.Put((g+i)%16, i)
				c.Get(i % 16)
			}
		})
	}
	wg.Wait()
	if c.Len() != 8 {
		t.Fatalf("Len() = %d after concurrent use, want 8", c.Len())
	}
}
