package document

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"time"
)

// Scanner talks to ClamAV's daemon (clamd) with its INSTREAM command: the
// file goes over the socket in chunks, each preceded by its length as four
// big-endian bytes, and a zero length ends it; clamd then answers
// "stream: OK" or "stream: <signature> FOUND". The protocol is small
// enough that no client library is needed.
//
// clamd refuses a stream longer than its StreamMaxLength (25 MiB by
// default in older releases): set it, MaxFileSize and MaxScanSize to at
// least UPLOAD_MAX_BYTES, or large files are refused as unscannable.
type Scanner struct {
	network, address string
	// Timeout bounds connecting, each write, and waiting for the verdict
	// once the file has been sent.
	Timeout time.Duration
}

// NewScanner returns a scanner for clamd at address (CLAMD_ADDRESS): an
// absolute path is a unix socket, anything else host:port. An empty
// address means no scanning: it returns nil.
func NewScanner(address string) *Scanner {
	if address == "" {
		return nil
	}
	s := &Scanner{network: "tcp", address: address, Timeout: 2 * time.Minute}
	if filepath.IsAbs(address) {
		s.network = "unix"
	}
	return s
}

// maxChunk bounds one INSTREAM chunk.
const maxChunk = 1 << 20

// Ping checks that clamd answers (for readiness checks).
func (s *Scanner) Ping(ctx context.Context) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(s.Timeout))
	if _, err := conn.Write([]byte("zPING\x00")); err != nil {
		return fmt.Errorf("document: clamd ping: %w", err)
	}
	reply, err := readReply(conn)
	if err != nil {
		return fmt.Errorf("document: clamd ping: %w", err)
	}
	if reply != "PONG" {
		return fmt.Errorf("document: clamd ping answered %q", reply)
	}
	return nil
}

func (s *Scanner) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: s.Timeout}
	conn, err := d.DialContext(ctx, s.network, s.address)
	if err != nil {
		return nil, fmt.Errorf("document: clamd at %s: %w", s.address, err)
	}
	return conn, nil
}

// start opens an INSTREAM scan: write the file to it, then ask verdict.
func (s *Scanner) start(ctx context.Context) (*scan, error) {
	conn, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	conn.SetWriteDeadline(time.Now().Add(s.Timeout))
	if _, err := conn.Write([]byte("zINSTREAM\x00")); err != nil {
		conn.Close()
		return nil, fmt.Errorf("document: clamd at %s: %w", s.address, err)
	}
	sc := &scan{conn: conn, timeout: s.Timeout}
	// A cancelled upload must not leave a write blocked on clamd.
	sc.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return sc, nil
}

// scan is one file on its way to clamd.
type scan struct {
	conn    net.Conn
	timeout time.Duration
	stop    func() bool
	hdr     [4]byte
}

// Write sends p as INSTREAM chunks.
func (sc *scan) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), maxChunk)]
		binary.BigEndian.PutUint32(sc.hdr[:], uint32(len(chunk)))
		sc.conn.SetWriteDeadline(time.Now().Add(sc.timeout))
		bufs := net.Buffers{sc.hdr[:], chunk}
		if _, err := bufs.WriteTo(sc.conn); err != nil {
			return written, sc.explain(err)
		}
		written += len(chunk)
		p = p[len(chunk):]
	}
	return written, nil
}

// verdict ends the stream and waits for clamd's answer: the signature
// found, "" when the file is clean, or an error when clamd could not judge.
func (sc *scan) verdict() (string, error) {
	sc.conn.SetDeadline(time.Now().Add(sc.timeout))
	if _, err := sc.conn.Write([]byte{0, 0, 0, 0}); err != nil {
		return "", sc.explain(err)
	}
	reply, err := readReply(sc.conn)
	if err != nil {
		return "", fmt.Errorf("document: clamd verdict: %w", err)
	}
	return parseVerdict(reply)
}

// explain adds clamd's reason to a write error: it answers, then hangs up,
// when a stream exceeds its StreamMaxLength.
func (sc *scan) explain(err error) error {
	sc.conn.SetReadDeadline(time.Now().Add(time.Second))
	if reply, rerr := readReply(sc.conn); rerr == nil && reply != "" {
		return fmt.Errorf("document: clamd: %s (%w)", reply, err)
	}
	return fmt.Errorf("document: clamd: %w", err)
}

func (sc *scan) close() {
	sc.stop()
	sc.conn.Close()
}

// readReply reads one NUL-terminated answer (the z-prefixed commands').
func readReply(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString(0)
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimSpace(strings.TrimRight(line, "\x00")), nil
}

// parseVerdict reads "stream: OK", "stream: <name> FOUND" or an error.
func parseVerdict(reply string) (string, error) {
	rest, ok := strings.CutPrefix(reply, "stream: ")
	switch {
	case ok && rest == "OK":
		return "", nil
	case ok && strings.HasSuffix(rest, " FOUND"):
		sig := strings.TrimSuffix(rest, " FOUND")
		if sig == "" {
			sig = "unknown"
		}
		return sig, nil
	default:
		return "", fmt.Errorf("document: clamd could not scan: %q", reply)
	}
}
