package testenv_test

import (
	"bufio"
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/testenv"
)

// instream sends data to clamd with INSTREAM and returns its answer.
func instream(t *testing.T, addr, data string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	msg := []byte("zINSTREAM\x00")
	msg = binary.BigEndian.AppendUint32(msg, uint32(len(data)))
	msg = append(msg, data...)
	msg = append(msg, 0, 0, 0, 0)
	if _, err := conn.Write(msg); err != nil {
		t.Fatal(err)
	}
	reply, err := bufio.NewReader(conn).ReadString(0)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(reply, "\x00")
}

// The shared clamd knows EICAR, and nothing else.
func TestClamdFindsEICAR(t *testing.T) {
	t.Parallel()
	c := testenv.Clamd(t)
	if testenv.Clamd(t) != c {
		t.Fatal("Clamd is not shared")
	}
	if got := instream(t, c.Addr, testenv.EICAR); !strings.HasSuffix(got, "Eicar-Test-Signature.UNOFFICIAL FOUND") {
		t.Fatalf("EICAR: clamd answered %q", got)
	}
	if got := instream(t, c.Addr, "%PDF-1.4 a clean file"); got != "stream: OK" {
		t.Fatalf("clean file: clamd answered %q", got)
	}
}
