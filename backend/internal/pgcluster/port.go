package pgcluster

import (
	"math/rand/v2"
	"net"
	"strconv"
	"time"
)

// FreePort is a loopback port below 32768 (above, ephemeral ports collide) nothing listens on
// now; after many taken ones, the last tried (starting on it will fail, and say so).
func FreePort() int {
	port := 0
	for range 200 {
		port = 20000 + rand.IntN(12000)
		conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 200*time.Millisecond)
		if err != nil {
			return port
		}
		conn.Close()
	}
	return port
}
