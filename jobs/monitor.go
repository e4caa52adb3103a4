package jobs

import (
	"net/http"

	"github.com/hibiken/asynqmon"
)

// sharedConn hands asynqmon the process's existing Redis client instead of a new connection.
type sharedConn struct{ r *Redis }

func (c sharedConn) MakeRedisClient() any { return c.r.Client }

// NewMonitor is the asynq web monitor (asynqmon) rooted at rootPath. It shows task payloads, which
// hold ids only. Mount it behind admin authentication.
func NewMonitor(rdb *Redis, rootPath string) http.Handler {
	return asynqmon.New(asynqmon.Options{RootPath: rootPath, RedisConnOpt: sharedConn{rdb}})
}
