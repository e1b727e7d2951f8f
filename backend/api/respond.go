package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// listBody is every list's shape: a page of items, newest first, and where the next page starts.
type listBody[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// respondList answers a page of items, or the error that stopped it.
func respondList[T any](c *gin.Context, items []T, next string, err error) {
	if err != nil {
		edge.Fail(c, err)
		return
	}
	if items == nil {
		items = []T{}
	}
	body := listBody[T]{Data: items}
	if next != "" {
		body.NextCursor = &next
	}
	edge.WriteJSON(c.Writer, http.StatusOK, body)
}

// respond answers v with 201 when something was created and 200 otherwise.
func respond(c *gin.Context, v any, created bool, err error) {
	switch {
	case err != nil:
		edge.Fail(c, err)
	case created:
		edge.WriteJSON(c.Writer, http.StatusCreated, v)
	default:
		edge.WriteJSON(c.Writer, http.StatusOK, v)
	}
}

// pageOf reads ?limit= and ?cursor=; the domain checks the limit's range. Lists are where
// queries are read, so their text is checked here too.
func pageOf(c *gin.Context) (referral.Page, bool) {
	p := referral.Page{Cursor: c.Query("cursor")}
	if fields := queryNotText(c); len(fields) > 0 {
		edge.Refuse(c, referral.EInvalid, "Some query parameters are invalid.", fields...)
		return p, false
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 { // 0 would mean "the default" to the domain
			edge.Refuse(c, referral.EInvalid, "Some query parameters are invalid.",
				referral.FieldError{Field: "limit", Detail: "must be a whole number between 1 and 100"})
			return p, false
		}
		p.Limit = n
	}
	return p, true
}
