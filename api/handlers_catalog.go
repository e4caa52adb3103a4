package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

type reasonDTO struct {
	Code     string `json:"code"`
	Scope    string `json:"scope"`
	Category string `json:"category"`
	Title    string `json:"title"`
	Guidance string `json:"guidance"`
}

func toReasonDTO(r catalog.Reason) reasonDTO {
	return reasonDTO{Code: r.Code, Scope: string(r.Scope), Category: r.Category, Title: r.Title, Guidance: r.Guidance}
}

// reasonCodes serves the reason catalogue, optionally one scope (?scope=first_review).
func reasonCodes(c *gin.Context) {
	list := catalog.Reasons()
	if s := c.Query("scope"); s != "" {
		list = catalog.ReasonsIn(catalog.Scope(s))
	}
	out := make([]reasonDTO, len(list))
	for i, r := range list {
		out[i] = toReasonDTO(r)
	}
	c.JSON(http.StatusOK, gin.H{"reasons": out})
}

// cachedJSON is a response body built once, with its strong ETag.
type cachedJSON struct {
	body []byte
	etag string
}

func newCachedJSON(v any) (cachedJSON, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return cachedJSON{}, err
	}
	sum := sha256.Sum256(b)
	return cachedJSON{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
}

// serve answers 304 when If-None-Match names the current ETag (or is "*"), else the body.
func (j cachedJSON) serve(c *gin.Context) {
	c.Header("ETag", j.etag)
	c.Header("Cache-Control", "public, max-age=3600")
	for tag := range strings.SplitSeq(c.GetHeader("If-None-Match"), ",") {
		if tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/"); tag == j.etag || tag == "*" {
			c.Status(http.StatusNotModified)
			return
		}
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", j.body)
}

// catalogHandlers serve the form dictionaries; the documents are built once per process.
type catalogHandlers struct {
	all       cachedJSON
	provinces map[string]cachedJSON
}

func newCatalogHandlers() (catalogHandlers, error) {
	all, err := newCachedJSON(buildCatalog())
	if err != nil {
		return catalogHandlers{}, err
	}
	h := catalogHandlers{all: all, provinces: map[string]cachedJSON{}}
	for _, p := range catalog.Provinces() {
		if h.provinces[p.Code], err = newCachedJSON(buildProvinceCatalog(p)); err != nil {
			return catalogHandlers{}, err
		}
	}
	return h, nil
}

func (h catalogHandlers) catalog(c *gin.Context) { h.all.serve(c) }

func (h catalogHandlers) province(c *gin.Context) {
	p, ok := h.provinces[c.Param("code")]
	if !ok {
		writeError(c, kernel.ErrNotFound)
		return
	}
	p.serve(c)
}
