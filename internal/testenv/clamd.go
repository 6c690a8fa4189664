package testenv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// EICAR is the anti-virus test file: harmless, and reported as a virus by
// every scanner. It is put together at run time so that a scanner on a
// developer's machine does not quarantine this source file.
var EICAR = `X5O!P%@AP[4\PZX54(P^)7CC)7}$` + `EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// eicarSignature is the only signature the test clamd loads (no signature
// download is possible here): the MD5 and size of the EICAR file. clamd
// also finds it inside archives, such as a .docx.
const eicarSignature = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n"

// clamdPaths are where clamd is looked for: Debian's clamav-daemon first.
var clamdPaths = []string{"/usr/sbin/clamd", "clamd"}

// ClamdServer is a clamd process listening on a loopback TCP port.
type ClamdServer struct {
	Addr string // 127.0.0.1:PORT, for CLAMD_ADDRESS

	d *daemon
}

var (
	clamdMu     sync.Mutex
	sharedClamd *ClamdServer
)

// Clamd returns the test process's clamd, started on first use with only
// the EICAR signature and stopped by Main. When clamd is not installed the
// test fails, telling to run ./scripts/test as root.
func Clamd(t testing.TB) *ClamdServer {
	t.Helper()
	Full(t, "clamd")
	clamdMu.Lock()
	defer clamdMu.Unlock()
	if sharedClamd != nil {
		return sharedClamd
	}
	done := Starting()
	defer done()
	c, err := startClamd(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sharedClamd = c
	AtExit(c.d.stop)
	return c
}

func startClamd(ctx context.Context) (*ClamdServer, error) {
	bin := ""
	for _, p := range clamdPaths {
		if path, err := exec.LookPath(p); err == nil {
			bin = path
			break
		}
	}
	if bin == "" {
		return nil, errors.New("testenv: clamd is not installed (Debian's clamav-daemon): run ./scripts/test as root once, which installs it")
	}
	var lastErr error
	for range 3 { // a free port may be taken before clamd binds it
		ports, err := freePorts(1)
		if err != nil {
			return nil, err
		}
		dir, err := clamdFolder(ports[0])
		if err != nil {
			return nil, err
		}
		c := &ClamdServer{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))}
		c.d, lastErr = startDaemon(ctx, "clamd", dir, nil, bin, "--config-file", filepath.Join(dir, "clamd.conf"))
		if lastErr == nil {
			lastErr = c.d.waitReady(ctx, func(context.Context) bool { return c.Ping() == nil })
		}
		if lastErr == nil {
			return c, nil
		}
		if c.d != nil {
			// clamd says why in its log file, which stopping removes.
			if log, err := os.ReadFile(filepath.Join(dir, "clamd.log")); err == nil {
				lastErr = fmt.Errorf("%w; clamd.log: %s", lastErr, lastLines(string(log), 10))
			}
			c.d.stop()
		}
	}
	return nil, lastErr
}

// clamdFolder writes the signature database and the configuration.
// Running as root, clamd keeps root's rights when no User is configured,
// so a folder in the temp dir is readable; as any other user it runs as
// that user, who owns the folder.
func clamdFolder(port int) (string, error) {
	dir, err := os.MkdirTemp("", "missiongrants-clamd-")
	if err != nil {
		return "", err
	}
	db := filepath.Join(dir, "db")
	if err := os.Mkdir(db, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(db, "eicar.hdb"), []byte(eicarSignature), 0o644); err != nil {
		return "", err
	}
	conf := strings.Join([]string{
		"DatabaseDirectory " + db,
		"TemporaryDirectory " + dir,
		"TCPSocket " + strconv.Itoa(port),
		"TCPAddr 127.0.0.1",
		"Foreground yes",
		"LogFile " + filepath.Join(dir, "clamd.log"),
		// Room for the 200 MB benchmark file: beyond these limits clamd
		// refuses a stream, or passes a file it did not read whole.
		"StreamMaxLength 512M",
		"MaxFileSize 512M",
		"MaxScanSize 512M",
		"MaxThreads 20",
		"",
	}, "\n")
	if err := os.WriteFile(filepath.Join(dir, "clamd.conf"), []byte(conf), 0o644); err != nil {
		return "", err
	}
	return dir, nil
}

// Ping asks clamd whether it is up.
func (c *ClamdServer) Ping() error {
	conn, err := net.DialTimeout("tcp", c.Addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("zPING\x00")); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString(0)
	if err != nil {
		return err
	}
	if reply != "PONG\x00" {
		return fmt.Errorf("clamd answered %q", reply)
	}
	return nil
}
