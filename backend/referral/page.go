package referral

import "context"

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

func (p *Page) check() error {
	if p.Limit == 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit < 1 || p.Limit > MaxPageSize {
		return InvalidField("limit", "must be between 1 and 100")
	}
	return nil
}

// list runs one page of a listing in a transaction and works out the next cursor.
func list[T any](s *Service, ctx context.Context, pg Page, fetch func(Tx, Page) ([]T, error), id func(T) string) ([]T, string, error) {
	if err := pg.check(); err != nil {
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
