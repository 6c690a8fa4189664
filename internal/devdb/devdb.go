// Package devdb runs private PostgreSQL clusters from the installed server
// binaries: the persistent one behind `serve`'s embedded default, and
// throwaway ones for tests. A cluster listens only on a unix socket inside its
// own folder, so it never clashes with another server over a port.
package devdb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver for Ping and EnsureDatabase
)

// Superuser is the cluster's superuser; authentication is trust over a
// socket only the owner can reach.
const Superuser = "postgres"

// port only names the socket file (.s.PGSQL.5432): nothing listens on TCP.
const port = "5432"

const confName = "missiongrants.conf"

// Options describe a cluster.
type Options struct {
	// Dir is the cluster's folder: it holds data/, the server log and
	// (when the path is short enough) the socket folder.
	Dir string
	// Durable keeps PostgreSQL's crash safety. False (for tests) turns off
	// fsync, synchronous_commit and full_page_writes.
	Durable bool
	// Log receives the output of initdb and pg_ctl. The server's own log is
	// always Dir/postgres.log, because the server outlives those commands.
	Log io.Writer
	// Settings are more postgresql.conf lines, name = value (the load
	// tool's pg_stat_statements).
	Settings map[string]string
}

// Cluster is a PostgreSQL cluster in a folder, started with pg_ctl.
type Cluster struct {
	bin     Binaries
	as      runAs
	dir     string
	sockDir string
	opts    Options

	mu        sync.Mutex
	ownerLock *fileLock // held for a throwaway cluster's life
	extraDir  string    // a socket folder outside dir, removed with it
}

// Start initialises the cluster in opts.Dir if it has no data yet, then
// starts it, or reuses it when it is already running from an earlier process.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	c, err := newCluster(bin, opts)
	if err != nil {
		return nil, err
	}
	if err := c.as.mkdirOwned(c.dir); err != nil {
		return nil, fmt.Errorf("devdb: create %s: %w", c.dir, err)
	}
	// Two processes starting the same folder (two `serve`s) take turns.
	lock, err := lockFile(ctx, filepath.Join(c.dir, ".devdb.lock"))
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	if err := c.initOnce(ctx); err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func newCluster(bin Binaries, opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("devdb: Options.Dir is empty")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	as, err := currentRunAs()
	if err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	c := &Cluster{bin: bin, as: as, dir: dir, opts: opts}
	c.sockDir = filepath.Join(dir, "sock")
	// A unix socket path must fit in 108 bytes; a deep folder gets a short
	// socket folder of its own in /tmp instead.
	if len(c.sockDir)+len("/.s.PGSQL."+port) > 90 {
		c.sockDir = filepath.Join(os.TempDir(), "missiongrants-sock-"+shortHash(dir))
		c.extraDir = c.sockDir
	}
	return c, nil
}

// Dir is the cluster's folder.
func (c *Cluster) Dir() string { return c.dir }

// DataDir is the PostgreSQL data folder (PGDATA).
func (c *Cluster) DataDir() string { return filepath.Join(c.dir, "data") }

// SocketDir is the folder holding the server's unix socket.
func (c *Cluster) SocketDir() string { return c.sockDir }

// LogFile is the server's log.
func (c *Cluster) LogFile() string { return filepath.Join(c.dir, "postgres.log") }

// Version is the server version of the binaries running the cluster.
func (c *Cluster) Version() string { return c.bin.Version }

// URL is a lib/pq URL for database dbname over the cluster's socket, as the
// superuser.
func (c *Cluster) URL(dbname string) string {
	q := url.Values{}
	q.Set("host", c.sockDir)
	q.Set("port", port)
	q.Set("sslmode", "disable")
	return (&url.URL{Scheme: "postgres", User: url.User(Superuser), Host: "", Path: "/" + dbname, RawQuery: q.Encode()}).String()
}

// initOnce runs initdb unless the data folder is already initialised.
func (c *Cluster) initOnce(ctx context.Context) error {
	data := c.DataDir()
	if b, err := os.ReadFile(filepath.Join(data, "PG_VERSION")); err == nil {
		if v := strings.TrimSpace(string(b)); v != c.bin.Major() {
			return fmt.Errorf("devdb: %s holds a PostgreSQL %s cluster but the installed server is %s: remove it or install postgresql-%s", data, v, c.bin.Version, v)
		}
		return c.writeConf()
	}
	// A half-made folder from an interrupted initdb is useless.
	if err := os.RemoveAll(data); err != nil {
		return err
	}
	if err := initdb(ctx, c.bin, c.as, c.dir, data, !c.opts.Durable, c.opts.Log); err != nil {
		return err
	}
	return c.writeConf()
}

// initdb creates a data folder. C.UTF-8 gives Unicode-aware lower()/upper()
// with a stable byte-order collation; plain C is the fallback where the
// C.UTF-8 locale is missing.
func initdb(ctx context.Context, bin Binaries, as runAs, workDir, data string, noSync bool, log io.Writer) error {
	var lastErr error
	for _, locale := range []string{"C.UTF-8", "C"} {
		args := []string{"-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=" + locale, "--no-instructions"}
		if noSync {
			args = append(args, "--no-sync")
		}
		var out bytes.Buffer
		cmd := as.command(ctx, workDir, bin.path("initdb"), args...)
		cmd.Stdout = io.MultiWriter(&out, log)
		cmd.Stderr = cmd.Stdout
		if err := cmd.Run(); err != nil {
			lastErr = fmt.Errorf("devdb: initdb %s: %w: %s", data, err, lastLines(out.String(), 5))
			os.RemoveAll(data)
			continue
		}
		// Settings live in our own file, rewritten at every start, so that
		// a copied or moved cluster picks up its new socket folder.
		f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(f, "\ninclude_if_exists '%s'\n", confName)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return lastErr
}

func (c *Cluster) writeConf() error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by missiongrants' devdb at each start.\n")
	fmt.Fprintf(&b, "listen_addresses = ''\n")
	fmt.Fprintf(&b, "port = %s\n", port)
	fmt.Fprintf(&b, "unix_socket_directories = '%s'\n", strings.ReplaceAll(c.sockDir, "'", "''"))
	fmt.Fprintf(&b, "unix_socket_permissions = 0700\n")
	fmt.Fprintf(&b, "max_connections = 200\n")
	if !c.opts.Durable {
		fmt.Fprintf(&b, "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
		// Shared memory segments as files in the data folder: an immediate
		// stop (Remove, reaping) leaves them behind, and they must go with
		// the folder rather than pile up in /dev/shm.
		fmt.Fprintf(&b, "dynamic_shared_memory_type = mmap\n")
	}
	for _, name := range slices.Sorted(maps.Keys(c.opts.Settings)) {
		fmt.Fprintf(&b, "%s = %s\n", name, c.opts.Settings[name])
	}
	path := filepath.Join(c.DataDir(), confName)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return err
	}
	if c.as.cred != nil {
		return os.Chown(path, c.as.uid, c.as.gid)
	}
	return nil
}

// Start starts the cluster again after Stop.
func (c *Cluster) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.startLocked(ctx)
}

func (c *Cluster) startLocked(ctx context.Context) error {
	if c.running(ctx) {
		// Left running by an earlier process (a crash, or a `serve` that
		// was killed): reuse it if it answers where we expect it.
		if c.ping(ctx) == nil {
			return nil
		}
		if err := c.stopLocked(ctx, "fast"); err != nil {
			return err
		}
	}
	if err := c.as.mkdirOwned(c.sockDir); err != nil {
		return fmt.Errorf("devdb: socket folder: %w", err)
	}
	var out bytes.Buffer
	cmd := c.as.command(ctx, c.dir, c.bin.path("pg_ctl"), "start", "-w", "-t", "120", "-s", "-D", c.DataDir(), "-l", c.LogFile())
	cmd.Stdout = io.MultiWriter(&out, c.opts.Log)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("devdb: start %s: %w: %s; server log: %s", c.dir, err, lastLines(out.String(), 3), lastLines(readFile(c.LogFile()), 5))
	}
	return nil
}

// Stop shuts the server down (fast mode: sessions are ended) and waits for it.
// Stopping a stopped cluster is not an error.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return c.stopLocked(ctx, "fast")
}

// Restart stops and starts the server.
func (c *Cluster) Restart(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.stopLocked(ctx, "fast"); err != nil {
		return err
	}
	return c.startLocked(ctx)
}

func (c *Cluster) stopLocked(ctx context.Context, mode string) error {
	if !c.running(ctx) {
		return nil
	}
	var out bytes.Buffer
	cmd := c.as.command(ctx, c.dir, c.bin.path("pg_ctl"), "stop", "-w", "-t", "120", "-s", "-m", mode, "-D", c.DataDir())
	cmd.Stdout = io.MultiWriter(&out, c.opts.Log)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil && c.running(ctx) {
		return fmt.Errorf("devdb: stop %s: %w: %s", c.dir, err, lastLines(out.String(), 3))
	}
	return nil
}

// Running reports whether the server is up.
func (c *Cluster) Running() bool {
	return c.running(context.Background())
}

// running asks pg_ctl status, which also notices a stale postmaster.pid.
func (c *Cluster) running(ctx context.Context) bool {
	if _, err := os.Stat(filepath.Join(c.DataDir(), "postmaster.pid")); err != nil {
		return false
	}
	cmd := c.as.command(ctx, c.dir, c.bin.path("pg_ctl"), "status", "-D", c.DataDir())
	return cmd.Run() == nil
}

func (c *Cluster) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// Remove stops the server and deletes the cluster's folder: for throwaway
// clusters only.
func (c *Cluster) Remove() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Its data is being thrown away: no need for a clean shutdown, except
	// that a durable cluster's shared memory lives outside its folder.
	mode := "immediate"
	if c.opts.Durable {
		mode = "fast"
	}
	err := c.stopLocked(ctx, mode)
	// The postmaster may still be exiting; a second pass catches its last files.
	rerr := os.RemoveAll(c.dir)
	if rerr != nil {
		time.Sleep(100 * time.Millisecond)
		rerr = os.RemoveAll(c.dir)
	}
	if err == nil {
		err = rerr
	}
	if c.extraDir != "" {
		os.RemoveAll(c.extraDir)
	}
	c.ownerLock.Unlock()
	return err
}

// persistentRoot is where root's persistent clusters live: out of DATA_DIR,
// which under /root the postgres user cannot reach. A variable for tests.
var persistentRoot = "/var/tmp"

// DefaultDir is where `serve`'s persistent cluster lives for a data folder:
// DATA_DIR/postgres, or as root persistentRoot/missiongrants-<hash of
// DATA_DIR> (see ForDataDir, which links it from DATA_DIR/postgres).
func DefaultDir(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	if os.Geteuid() == 0 {
		return filepath.Join(persistentRoot, "missiongrants-"+shortHash(abs))
	}
	return filepath.Join(abs, "postgres")
}

// ownerFile, in a cluster folder outside DATA_DIR, names the data folder
// that owns it, so a cluster whose data folder is gone can be found.
const ownerFile = "data-dir"

// ForDataDir returns the folder of serve's cluster for dataDir, and keeps
// the database bound to its data folder when it has to live outside it (as
// root): DATA_DIR/postgres is a link to it, so deleting DATA_DIR deletes the
// database at the next start rather than leaving an old one to be reused
// beside new, empty documents; and clusters whose data folder was deleted
// are removed then too, so they do not pile up.
func ForDataDir(dataDir string) (string, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", err
	}
	dir := DefaultDir(abs)
	link := filepath.Join(abs, "postgres")
	if dir == link {
		return dir, nil
	}
	if target, err := os.Readlink(link); err == nil {
		if target != dir {
			return "", fmt.Errorf("devdb: %s links to %s, not to %s: remove the link or set DATA_DIR to the folder that owns it", link, target, dir)
		}
	} else {
		// No link: a new data folder, or one from before the link existed
		// (it holds documents), whose cluster is adopted as it is.
		if _, err := os.Stat(dir); err == nil && isEmptyOrMissing(abs) {
			if serverRunning(dir) {
				return "", fmt.Errorf("devdb: the database in %s belongs to a deleted %s but is still running: stop the portal using it first", dir, abs)
			}
			if err := os.RemoveAll(dir); err != nil {
				return "", err
			}
		}
		if err := os.MkdirAll(abs, 0o700); err != nil {
			return "", err
		}
		if err := os.Symlink(dir, link); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(abs+"\n"), 0o644); err != nil {
		return "", err
	}
	removeOrphans()
	return dir, nil
}

// removeOrphans deletes the stopped persistent clusters whose data folder no
// longer links to them. Folders without an owner file (made before it
// existed) are left alone: whose they are cannot be known.
func removeOrphans() {
	dirs, _ := filepath.Glob(filepath.Join(persistentRoot, "missiongrants-????????????"))
	for _, dir := range dirs {
		owner := strings.TrimSpace(readFile(filepath.Join(dir, ownerFile)))
		if owner == "" {
			continue
		}
		if target, err := os.Readlink(filepath.Join(owner, "postgres")); err == nil && target == dir {
			continue
		}
		if !serverRunning(dir) {
			os.RemoveAll(dir)
		}
	}
}

// isEmptyOrMissing: a data folder deleted, or never used.
func isEmptyOrMissing(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err != nil || len(entries) == 0
}

// serverRunning reports a postmaster still alive in the cluster folder dir,
// by the process its postmaster.pid names.
func serverRunning(dir string) bool {
	line, _, _ := strings.Cut(readFile(filepath.Join(dir, "data", "postmaster.pid")), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:12]
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// lastLines keeps error messages to the useful tail of a command's output.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// isNotExist is fs.ErrNotExist through wrapping.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// runQuiet runs a command, returning its combined output in the error.
func runQuiet(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(cmd.Path), err, lastLines(string(out), 3))
	}
	return nil
}
