package main

import (
	"context"
	"time"
)

// directoryEvery is how often serve syncs the directory when
// directory.sync is daily; a variable so a test can shorten it.
var directoryEvery = 24 * time.Hour

// syncDirectoryDaily reads the platforms' directories at start and then
// every directoryEvery, when directory.sync (COLLABOT_DIRECTORY_SYNC) is
// daily. A failure is logged and tried again next time: it never stops
// the service, which keeps the directory it has. Replicas may each sync;
// a sync that finds nothing new writes nothing.
func (s *service) syncDirectoryDaily(ctx context.Context) error {
	if !s.e.cfg.PlatformDirectory.Daily() {
		return nil
	}
	log := s.e.log.WithGroup("directory")
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := syncDirectory(ctx, s.e.cfg, s.store, log, false); err != nil && ctx.Err() == nil {
			log.Warn("directory sync failed; the directory synced before stays, and the next sync tries again", "err", err, "next_in", directoryEvery)
		}
		t.Reset(directoryEvery)
	}
}
