package document

import (
	"context"
	"fmt"

	"github.com/lib/pq"
)

// sweepBatch is how many keys one query checks.
const sweepBatch = 500

// Sweep removes what the store holds that no document row names and that
// is older than the grace period: objects of uploads interrupted between
// the store and the database, files of rows whose deletion could not
// remove them, and (S3) multipart uploads never finished. The grace period
// keeps it off uploads in flight. It returns how many leftovers it
// removed. The portal runs it as a periodic job, on one process at a time:
//
//	job.Periodic{Name: "document.sweep", Interval: 6 * time.Hour,
//		Run: func(ctx context.Context) error { _, err := docs.Sweep(ctx); return err }}
func (s *Service) Sweep(ctx context.Context) (int, error) {
	before := s.now().Add(-s.grace)
	removed := 0
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var named []string
		if err := s.db.SelectContext(ctx, &named, sqlSweep, pq.Array(batch)); err != nil {
			return err
		}
		keep := make(map[string]bool, len(named))
		for _, k := range named {
			keep[k] = true
		}
		for _, k := range batch {
			if keep[k] {
				continue
			}
			if err := s.store.Delete(ctx, k); err != nil {
				return err
			}
			removed++
		}
		batch = batch[:0]
		return nil
	}
	err := s.store.List(ctx, func(o Object) error {
		if !o.Modified.Before(before) {
			return nil
		}
		batch = append(batch, o.Key)
		if len(batch) == sweepBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return removed, fmt.Errorf("document.Sweep: %w", err)
	}
	if c, ok := s.store.(staleCleaner); ok {
		n, err := c.RemoveStale(ctx, before)
		removed += n
		if err != nil {
			return removed, fmt.Errorf("document.Sweep: %w", err)
		}
	}
	if removed > 0 {
		s.log.Info("document: swept leftovers from the store", "removed", removed)
	}
	return removed, nil
}
