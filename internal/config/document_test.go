package config

import (
	"os"
	"strings"
	"testing"
)

func TestDocumentDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"XDG_DATA_HOME": "/x"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.S3Bucket != "" || c.S3Region != "us-east-1" || c.UploadMaxBytes != 25<<20 || c.ClamdAddress != "" {
		t.Fatalf("document defaults: %+v", c)
	}
}

func TestDocumentOptions(t *testing.T) {
	path := t.TempDir() + "/s3secret"
	if err := os.WriteFile(path, []byte("verysecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{
		"S3_BUCKET": "grants-docs", "S3_ENDPOINT": "http://127.0.0.1:7070", "S3_REGION": "eu-west-1",
		"S3_ACCESS_KEY_ID": "AKIA", "S3_SECRET_ACCESS_KEY_FILE": path,
		"UPLOAD_MAX_BYTES": "1048576", "CLAMD_ADDRESS": "127.0.0.1:3310",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.S3Bucket != "grants-docs" || c.S3Endpoint != "http://127.0.0.1:7070" || c.S3Region != "eu-west-1" ||
		c.S3AccessKeyID != "AKIA" || c.S3SecretAccessKey != "verysecret" || c.UploadMaxBytes != 1<<20 || c.ClamdAddress != "127.0.0.1:3310" {
		t.Fatalf("%+v", c)
	}
	if c, err := Load(env(map[string]string{"CLAMD_ADDRESS": "/run/clamav/clamd.ctl"})); err != nil || c.ClamdAddress != "/run/clamav/clamd.ctl" {
		t.Fatalf("unix socket: %v", err)
	}
}

func TestDocumentOptionsNamedWhenBad(t *testing.T) {
	_, err := Load(env(map[string]string{
		"S3_ENDPOINT":          "minio:9000",
		"UPLOAD_MAX_BYTES":     "25MB",
		"CLAMD_ADDRESS":        "clamd",
		"S3_SECRET_ACCESS_KEY": "hunter2", // without its key id
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, name := range []string{"S3_ENDPOINT", "UPLOAD_MAX_BYTES", "CLAMD_ADDRESS", "S3_SECRET_ACCESS_KEY"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error shows the secret: %v", err)
	}
}
