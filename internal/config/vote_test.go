package config

import (
	"strings"
	"testing"
)

func TestVoteShares(t *testing.T) {
	c, err := Load(env(map[string]string{"XDG_DATA_HOME": "/x"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.VoteQuorum != (Fraction{1, 2}) || c.VoteApproval != (Fraction{1, 2}) {
		t.Fatalf("defaults: quorum %v, approval %v", c.VoteQuorum, c.VoteApproval)
	}
	c, err = Load(env(map[string]string{"XDG_DATA_HOME": "/x", "VOTE_QUORUM": " 2/3 ", "VOTE_APPROVAL": "0/1"}))
	if err != nil || c.VoteQuorum != (Fraction{2, 3}) || c.VoteApproval != (Fraction{0, 1}) {
		t.Fatalf("2/3 and 0/1: %v %v (%v)", c.VoteQuorum, c.VoteApproval, err)
	}
	for _, bad := range []string{"1", "1/1", "3/2", "-1/2", "1/0", "a/b", "1/2/3", "0.5"} {
		_, err := Load(env(map[string]string{"XDG_DATA_HOME": "/x", "VOTE_QUORUM": bad}))
		if err == nil || !strings.Contains(err.Error(), "VOTE_QUORUM") {
			t.Errorf("VOTE_QUORUM=%q: %v", bad, err)
		}
	}
}
