package api

import (
	"encoding/json"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// orderBodyEntries bounds the encoded orders kept in memory (a few KB each).
const orderBodyEntries = 1024

// orderBodies keeps the JSON of recently answered orders, personal data already masked, so that
// reading an unchanged order again spares masking and encoding its proposal. An entry is used
// only for the same order at the same version and update time: every write of an order raises
// its version (OrderStore.Update, and the materials' touch of the order), and the body is a
// function of the order alone. Safe for concurrent use.
type orderBodies struct {
	cache *kernel.LRU[int64, orderBody]
}

type orderBody struct {
	version   int
	updatedAt time.Time
	json      []byte
}

func newOrderBodies() *orderBodies {
	return &orderBodies{cache: kernel.NewLRU[int64, orderBody](orderBodyEntries)}
}

// body is the JSON of toOrderDTO(o), from the cache when o is the order it was encoded from.
// Callers must not modify it.
func (b *orderBodies) body(o filing.Order) ([]byte, error) {
	if e, ok := b.cache.Get(o.ID); ok && e.version == o.Version && e.updatedAt.Equal(o.UpdatedAt) {
		return e.json, nil
	}
	out, err := json.Marshal(toOrderDTO(o))
	if err != nil {
		return nil, err
	}
	b.cache.Put(o.ID, orderBody{version: o.Version, updatedAt: o.UpdatedAt, json: out})
	return out, nil
}
