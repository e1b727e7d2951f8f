package referral

import (
	"context"
	"strings"

	"github.com/oklog/ulid/v2"
)

// trimPage cuts a list fetched with one extra item (Limit+1) to the page, and says where the
// next page starts: "" when this is the last.
func trimPage[T any](items []T, p Page, id func(T) string) ([]T, string) {
	if len(items) <= p.Limit {
		return items, ""
	}
	items = items[:p.Limit]
	return items, id(items[len(items)-1])
}

// DefaultPageSize is the page size when none is asked for.
const DefaultPageSize = 25

// check fills in the default size and refuses a size out of range, or a cursor that is not
// the id of an item of this list (its prefix, such as "adv", and a ULID): a mangled cursor
// must not quietly answer the first page again, or none.
func (p *Page) check(prefix string) error {
	if p.Limit == 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit < 1 || p.Limit > MaxPageSize {
		return InvalidField("limit", "must be between 1 and 100")
	}
	if p.Cursor != "" {
		rest, ok := strings.CutPrefix(p.Cursor, prefix+"_")
		// Ids are compared as text: a lower-case ULID parses, but would sort as another place.
		if _, err := ulid.ParseStrict(rest); !ok || err != nil || rest != strings.ToUpper(rest) {
			return InvalidField("cursor", "must be the next_cursor of the previous page, unchanged")
		}
	}
	return nil
}

// list runs one page of a listing in a transaction and works out the next cursor. prefix is
// the prefix of the listed items' ids, which cursors are.
func list[T any](s *Service, ctx context.Context, pg Page, prefix string, fetch func(Tx, Page) ([]T, error), id func(T) string) ([]T, string, error) {
	if err := pg.check(prefix); err != nil {
		return nil, "", err
	}
	var items []T
	err := s.inTx(ctx, func(tx Tx) (err error) {
		items, err = fetch(tx, pg)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	items, next := trimPage(items, pg, id)
	return items, next, nil
}
