package portal

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
)

// key is what a kept session is for: the whole request, customer, member
// and effective return URL. A session is only ever handed to a visit that
// would have asked Polar for exactly the same one.
type key = client.CreateCustomerSessionRequest

// reuser keeps sessions for reuse and makes concurrent visits for one key
// share one create.
type reuser struct {
	create  func(context.Context, key) (link, error)
	now     func() time.Time
	margin  time.Duration // Config.Reuse: the life a handed-out session must have left
	max     int
	timeout time.Duration // bound on a shared create

	mu      sync.Mutex
	kept    map[key]*list.Element // of *entry
	order   *list.List            // oldest first
	flights map[key]*flight
}

// entry is a kept session.
type entry struct {
	key   key
	link  link
	until time.Time // handed out while now is not after until
}

// flight is a create in progress; done is closed when link or err is set.
type flight struct {
	done chan struct{}
	link link
	err  error
}

func newReuser(create func(context.Context, key) (link, error), now func() time.Time,
	margin time.Duration, max int, timeout time.Duration) *reuser {
	return &reuser{
		create: create, now: now, margin: margin, max: max, timeout: timeout,
		kept:    map[key]*list.Element{},
		order:   list.New(),
		flights: map[key]*flight{},
	}
}

// get returns a kept session for k, or joins or starts the create for k and
// waits for it as long as ctx allows. shared reports that the visit waited
// for a create another visit started.
func (r *reuser) get(ctx context.Context, k key) (l link, shared bool, err error) {
	now := r.now() // outside the lock: a clock that panics must not leave it held
	r.mu.Lock()
	if l, ok := r.lookup(k, now); ok {
		r.mu.Unlock()
		return l, false, nil
	}
	f, shared := r.flights[k]
	if !shared {
		f = &flight{done: make(chan struct{})}
		r.flights[k] = f
		// The create outlives this visit if it must: the visits waiting
		// for it, and the next ones, still want its session. It keeps the
		// visit's values (trace IDs) but not its cancellation, and is
		// bounded by r.timeout instead.
		go r.fly(context.WithoutCancel(ctx), k, f)
	}
	r.mu.Unlock()

	select {
	case <-f.done:
		return f.link, shared, f.err
	case <-ctx.Done():
		return link{}, shared, ctx.Err()
	}
}

// fly runs the create for k, keeps its session, and wakes the waiters. A
// panic in the create or the clock becomes the flight's error: it runs in
// a goroutine of its own, where a panic would end the process.
func (r *reuser) fly(ctx context.Context, k key, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var start, end time.Time
	defer func() {
		if p := recover(); p != nil {
			f.link, f.err = link{}, fmt.Errorf("portal: creating a session panicked: %v", p)
		}
		r.mu.Lock()
		delete(r.flights, k)
		if f.err == nil {
			r.keep(k, f.link, r.until(start, f.link), end)
		}
		r.mu.Unlock()
		close(f.done)
	}()
	start = r.now()
	f.link, f.err = r.create(ctx, k)
	end = r.now()
}

// until is when a session stops being handed out: margin before it
// expires. Its expiry is Polar's expires_at, or, if sooner, the session's
// lifetime (expires_at − created_at, both by Polar's clock) counted from
// when the create started by the handler's clock: so a local clock behind
// Polar's never makes a session look longer-lived than it is.
func (r *reuser) until(start time.Time, l link) time.Time {
	expiry := l.expiresAt
	if !l.createdAt.IsZero() && l.createdAt.Before(l.expiresAt) {
		if local := start.Add(l.expiresAt.Sub(l.createdAt)); local.Before(expiry) {
			expiry = local
		}
	}
	return expiry.Add(-r.margin)
}

// lookup returns k's kept session if it may still be handed out, and drops
// it if not. r.mu is held.
func (r *reuser) lookup(k key, now time.Time) (link, bool) {
	el, ok := r.kept[k]
	if !ok {
		return link{}, false
	}
	e := el.Value.(*entry)
	if now.After(e.until) {
		r.drop(el)
		return link{}, false
	}
	return e.link, true
}

// keep stores k's session, unless it is already too close to expiry at
// now. To stay within r.max it first drops the sessions too close to expiry
// at the front of the order, then the oldest. r.mu is held.
func (r *reuser) keep(k key, l link, until, now time.Time) {
	if now.After(until) {
		return
	}
	if el, ok := r.kept[k]; ok {
		r.drop(el)
	}
	for el := r.order.Front(); el != nil && now.After(el.Value.(*entry).until); el = r.order.Front() {
		r.drop(el)
	}
	for r.order.Len() >= r.max {
		r.drop(r.order.Front())
	}
	r.kept[k] = r.order.PushBack(&entry{key: k, link: l, until: until})
}

func (r *reuser) drop(el *list.Element) {
	delete(r.kept, el.Value.(*entry).key)
	r.order.Remove(el)
}

// len is the number of kept sessions, for tests.
func (r *reuser) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.order.Len()
}
