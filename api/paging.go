package api

import (
	"strconv"

	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// pageLimit reads ?limit= for an applicant-facing list: 1–100, or 0 when absent so the use case
// picks its default. A bad value answers 422 and returns false.
func pageLimit(c *gin.Context) (int, bool) {
	s := c.Query("limit")
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 100 {
		writeError(c, kernel.FieldErrors{"limit": kernel.CodeInvalid})
		return 0, false
	}
	return n, true
}

// nextCursor is a list's next_cursor: the cursor of the next page, or null on the last page (every
// list answers the field, so clients test one thing).
func nextCursor(c string) *string {
	if c == "" {
		return nil
	}
	return &c
}
