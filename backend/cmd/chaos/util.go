package main

import (
	"context"
	"encoding/json"
	"sync"
)

// mustJSON is the JSON of a value chaos builds itself, which always marshals.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("chaos: " + err.Error())
	}
	return b
}

// parallel calls fn(0) … fn(n-1) from a few workers at once, and stops handing out work when
// ctx ends.
func parallel(ctx context.Context, workers, n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
