package api

import (
	"net/http"

	"github.com/beian/beian/service/catalog"
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
