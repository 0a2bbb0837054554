package polartest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// RandomFaults configures WithRandomFaults.
type RandomFaults struct {
	// Seed makes the sequence of faults reproducible.
	Seed uint64
	// Rate is the fraction of requests faulted, from 0 to 1.
	Rate float64
	// Kinds are the kinds to draw from, uniformly; empty means all of
	// RandomFaultKinds. A drawn 429 has a Retry-After of 0 or 1 second, at
	// random.
	Kinds []FaultKind
	// SlowDelay is the delay of FaultSlow; zero means 20ms.
	SlowDelay time.Duration
}

// RandomFaultKinds returns the kinds WithRandomFaults can inject: 429, 500,
// 502, 503, 504, reset, truncated, malformed and slow.
func RandomFaultKinds() []FaultKind {
	var kinds []FaultKind
	for k := FaultTooManyRequests; k <= FaultSlow; k++ {
		kinds = append(kinds, k)
	}
	return kinds
}

const defaultSlowDelay = 20 * time.Millisecond

func (rf RandomFaults) withDefaults() RandomFaults {
	if len(rf.Kinds) == 0 {
		rf.Kinds = RandomFaultKinds()
	} else {
		rf.Kinds = slices.Clone(rf.Kinds)
	}
	if rf.SlowDelay == 0 {
		rf.SlowDelay = defaultSlowDelay
	}
	return rf
}

func (rf RandomFaults) validate() error {
	if !(rf.Rate >= 0 && rf.Rate <= 1) {
		return fmt.Errorf("random fault rate %v is not between 0 and 1", rf.Rate)
	}
	if rf.SlowDelay < 0 {
		return errors.New("negative SlowDelay")
	}
	for _, k := range rf.Kinds {
		if !slices.Contains(RandomFaultKinds(), k) {
			return fmt.Errorf("fault kind %v cannot be drawn at random", k)
		}
	}
	return nil
}

// randomFaults draws faults from a seeded PCG; the mutex keeps the sequence
// of draws, and so the sequence of faults, a function of the seed.
type randomFaults struct {
	cfg RandomFaults

	mu  sync.Mutex
	rng *rand.Rand
}

func newRandomFaults(cfg RandomFaults) *randomFaults {
	return &randomFaults{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
}

// next decides whether the next request is faulted, and how.
func (r *randomFaults) next() (Fault, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rng.Float64() >= r.cfg.Rate {
		return Fault{}, false
	}
	switch kind := r.cfg.Kinds[r.rng.IntN(len(r.cfg.Kinds))]; kind {
	case FaultTooManyRequests:
		return RateLimited(time.Duration(r.rng.IntN(2)) * time.Second), true
	case FaultInternalServerError, FaultBadGateway, FaultServiceUnavailable, FaultGatewayTimeout:
		return Status(kind.status()), true
	case FaultSlow:
		return Delay(r.cfg.SlowDelay), true
	default:
		return Fault{kind: kind}, true
	}
}
