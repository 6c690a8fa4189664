package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/config"
	"missiongrants/internal/db"
	"missiongrants/internal/devdb"
	"missiongrants/migrations"
)

// embeddedDatabase is the name of the portal's database in its private cluster.
const embeddedDatabase = "missiongrants"

// database opens DATABASE_URL, or on the embedded default starts (or reuses)
// the private cluster under DATA_DIR. It migrates the schema either way, and
// the returned stop closes the pool and stops a cluster it started. url is
// the database's, the embedded one's included.
func database(ctx context.Context, cfg *config.Config, log *slog.Logger) (pool *sqlx.DB, url string, stop func(), err error) {
	url = cfg.DatabaseURL
	var cluster *devdb.Cluster
	if cfg.Embedded() {
		dir, err := devdb.ForDataDir(cfg.DataDir)
		if err != nil {
			return nil, "", nil, err
		}
		log.Info("starting the embedded PostgreSQL cluster", "dir", dir)
		cluster, err = devdb.Start(ctx, devdb.Options{Dir: dir, Durable: true})
		if err != nil {
			return nil, "", nil, err
		}
		if err := devdb.EnsureDatabase(ctx, cluster.URL("postgres"), embeddedDatabase); err != nil {
			_ = cluster.Stop()
			return nil, "", nil, err
		}
		url = cluster.URL(embeddedDatabase)
	}
	stopCluster := func() {
		if cluster != nil {
			if err := cluster.Stop(); err != nil {
				log.Error("stopping the embedded cluster", "error", err)
			} else {
				log.Info("embedded PostgreSQL cluster stopped")
			}
		}
	}
	pool, err = db.Open(ctx, url)
	if err != nil {
		stopCluster()
		return nil, "", nil, err
	}
	if err := migrations.Up(ctx, pool.DB); err != nil {
		pool.Close()
		stopCluster()
		return nil, "", nil, err
	}
	return pool, url, func() { pool.Close(); stopCluster() }, nil
}

func migrate(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	pool, _, stop, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	v, err := migrations.Version(ctx, pool.DB)
	if err != nil {
		return err
	}
	fmt.Printf("database schema at version %d\n", v)
	return nil
}
