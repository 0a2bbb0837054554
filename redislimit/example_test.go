package redislimit_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/redislimit"
)

// Each instance of the fleet builds its client with a Limiter on the same
// Redis and Key. Here Redis is miniredis and Polar is polartest, both in
// process; in production, rdb is your Redis and the client's server URL
// and token are the defaults (POLAR_ACCESS_TOKEN).
func Example() {
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		log.Fatal(err)
	}
	defer mr.Close()
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
	addr, serverURL, token := mr.Addr(), polar.URL(), polar.AccessToken()

	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
	defer func() { _ = rdb.Close() }()
	lim, err := redislimit.New(redislimit.Config{
		Redis: rdb,
		Key:   "acme", // the organization's slug: the same on every instance
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.New(append(lim.Options(),
		client.WithServerURL(serverURL),
		client.WithAccessToken(token),
	)...)
	if err != nil {
		log.Fatal(err)
	}

	sess, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{
		ExternalCustomerID: "usr_1337",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("session created:", sess.ExpiresAt.After(time.Now()))
	fmt.Println("keys:", mr.Keys())
	// Output:
	// session created: true
	// keys: [rate:polarsessions:{acme}]
}

// A 429 that one instance meets starts a cooldown in Redis, which every
// instance's Wait waits out before sending.
func ExampleLimiter_Options() {
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		log.Fatal(err)
	}
	defer mr.Close()
	polar := polartest.NewServer()
	defer polar.Close()
	polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer func() { _ = rdb.Close() }()
	lim, err := redislimit.New(redislimit.Config{Redis: rdb, Key: "acme"})
	if err != nil {
		log.Fatal(err)
	}
	once := client.DefaultRetryPolicy()
	once.MaxAttempts = 1
	c, err := client.New(append(lim.Options(),
		client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()), client.WithRetryPolicy(once))...)
	if err != nil {
		log.Fatal(err)
	}

	polar.Script(polartest.RouteCreate, polartest.RateLimited(30*time.Second))
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"})
	fmt.Println("rate limited:", errors.Is(err, client.ErrRateLimited))
	fmt.Println("the fleet waits:", mr.TTL("polarsessions:cooldown:{acme}"))
	// Output:
	// rate limited: true
	// the fleet waits: 30s
}
