package main

import "time"

// plan is how much of everything a run does: the quick form finishes in a few minutes on a
// 2-core machine, the full one takes longer and uses the full-size data set.
type plan struct {
	quick        bool
	warm, run    time.Duration // each measured run is preceded by a warm-up
	reps         int           // interleaved repetitions, at least 3 for a median
	clients      []int         // concurrency of the matched comparison with pgbench
	sqliteWarm   time.Duration
	sqliteRun    time.Duration
	sqliteCs     []int
	mixRun       time.Duration // closed loop, for the mix's maximum rate
	halfLoadRun  time.Duration // open loop at half that rate
	storms       int           // 64 copies of one payment at once, this many times
	stormSize    int
	large        dataSet
	p50Requests  int // per kind, in the large/empty comparison
	allocsSample int // requests measured in process for allocations
	partLimit    time.Duration
}

// dataSet is the large practice among many small ones.
type dataSet struct {
	advocates, referrals int // the large practice's
	small                int // other practices
	smallAdvocates       int // each
	smallReferrals       int // each
}

func (d dataSet) full() bool { return d == fullSet }

var fullSet = dataSet{advocates: 100_000, referrals: 1_000_000, small: 1000, smallAdvocates: 10, smallReferrals: 100}

func makePlan(quick bool) plan {
	if quick {
		return plan{quick: true, warm: time.Second, run: 3 * time.Second, reps: 3, clients: []int{1, 8, 32},
			sqliteWarm: 500 * time.Millisecond, sqliteRun: 2 * time.Second, sqliteCs: []int{1, 8},
			mixRun: 3 * time.Second, halfLoadRun: 5 * time.Second, storms: 5, stormSize: 64,
			large:       dataSet{advocates: 10_000, referrals: 100_000, small: 100, smallAdvocates: 10, smallReferrals: 100},
			p50Requests: 150, allocsSample: 200, partLimit: 4 * time.Minute}
	}
	return plan{warm: 2 * time.Second, run: 10 * time.Second, reps: 3, clients: []int{1, 8, 32},
		sqliteWarm: time.Second, sqliteRun: 5 * time.Second, sqliteCs: []int{1, 8},
		mixRun: 10 * time.Second, halfLoadRun: 20 * time.Second, storms: 20, stormSize: 64,
		large: fullSet, p50Requests: 300, allocsSample: 1000, partLimit: 20 * time.Minute}
}
