package api

import (
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// plainPath refuses a path holding what no id or code holds: a NUL character or bytes that
// are not UTF-8, which PostgreSQL cannot even compare. Nothing is at such an address.
func plainPath(c *gin.Context) {
	if !referral.IsText(c.Request.URL.Path) {
		edge.Refuse(c, referral.ENotFound, "There is nothing at this address.")
		return
	}
	c.Next()
}

// queryNotText names the query parameters holding a NUL character or bytes that are not UTF-8.
func queryNotText(c *gin.Context) []referral.FieldError {
	var fields []referral.FieldError
	for name, values := range c.Request.URL.Query() {
		for _, v := range values {
			if !referral.IsText(name) || !referral.IsText(v) {
				fields = append(fields, referral.FieldError{Field: name, Detail: "must be UTF-8 text without NUL characters"})
				break
			}
		}
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	return fields
}
