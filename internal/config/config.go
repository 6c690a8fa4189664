// Package config reads the portal's settings from the environment into one
// Config value. Every option is declared once in the table below, with its
// default and its check, so the README, the parser and the errors agree.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the portal can be told from outside.
type Config struct {
	ListenAddr      string
	BaseURL         *url.URL
	DatabaseURL     string // empty: the embedded default starts a private cluster
	DataDir         string
	LogLevel        string
	LogFormat       string
	ShutdownTimeout time.Duration

	SMTPHost     string // empty: mail is written to the log
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPTLS      string
	MailFrom     string

	JobPollInterval time.Duration

	// Documents: S3 when S3Bucket is set, else local disk under DataDir.
	S3Endpoint        string // empty: AWS itself
	S3Region          string
	S3Bucket          string
	S3AccessKeyID     string // empty: the AWS default credential chain
	S3SecretAccessKey string
	UploadMaxBytes    int64
	ClamdAddress      string // empty: uploads are not virus-scanned

	// The board's vote: quorum is more than VoteQuorum of the members not
	// recused; approval more than VoteApproval of the votes for or against.
	VoteQuorum   Fraction
	VoteApproval Fraction

	TrustedProxies []string
	// PaymentApprovalCents: payments of at least this many cents count only
	// once a second admin approves them; 0 turns the rule off.
	PaymentApprovalCents int64
	ReportDueDays        int
	MetricsAddr          string
	ImpactMinCell        int
	CookieSecure         bool
	SessionIdleTimeout   time.Duration
	SessionLifetime      time.Duration
}

// Fraction is a share such as 1/2, read from "NUM/DEN".
type Fraction struct{ Num, Den int }

// fraction reads "NUM/DEN" with 0 <= NUM < DEN: the rules say "more than",
// so a share of 1 or more could never be reached.
func fraction(v string) (Fraction, error) {
	num, den, ok := strings.Cut(strings.TrimSpace(v), "/")
	n, err1 := strconv.Atoi(strings.TrimSpace(num))
	d, err2 := strconv.Atoi(strings.TrimSpace(den))
	if !ok || err1 != nil || err2 != nil || n < 0 || d < 1 || n >= d || d > 1000 {
		return Fraction{}, errors.New("must be a fraction below 1 such as 1/2 or 2/3")
	}
	return Fraction{Num: n, Den: d}, nil
}

// Embedded reports whether the portal runs on its embedded default
// (private database cluster, demo data).
func (c *Config) Embedded() bool { return c.DatabaseURL == "" }

// Option describes one environment variable. The README's table is generated
// from the same list (see Options), so it cannot drift.
type Option struct {
	Name    string
	Default string
	Help    string
	Secret  bool // may also be read from NAME_FILE
	set     func(c *Config, v string) error
}

// Options lists every variable the portal reads.
func Options() []Option {
	return []Option{
		{Name: "LISTEN_ADDR", Default: "", Help: "address the web server listens on; empty: 127.0.0.1:8080 on the embedded default (whose demo logins are printed), :8080 otherwise",
			set: func(c *Config, v string) error { c.ListenAddr = v; return listenAddr(v) }},
		{Name: "BASE_URL", Default: "http://localhost:8080", Help: "public URL of the portal, used in emails and for origin checks",
			set: func(c *Config, v string) error {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return errors.New("must be an absolute http(s) URL such as https://grants.example.org")
				}
				u.Path = strings.TrimRight(u.Path, "/")
				c.BaseURL = u
				return nil
			}},
		{Name: "DATABASE_URL", Default: "", Help: "PostgreSQL URL; empty starts a private local cluster with demo data", Secret: true,
			set: func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
					return errors.New("must be a postgres:// URL")
				}
				c.DatabaseURL = v
				return nil
			}},
		{Name: "DATA_DIR", Default: defaultDataDir(), Help: "folder for the embedded default's database and documents",
			set: func(c *Config, v string) error {
				abs, err := filepath.Abs(v)
				c.DataDir = abs
				return err
			}},
		{Name: "LOG_LEVEL", Default: "info", Help: "debug, info, warn or error",
			set: func(c *Config, v string) error { c.LogLevel = v; return oneOf(v, "debug", "info", "warn", "error") }},
		{Name: "LOG_FORMAT", Default: "text", Help: "text or json",
			set: func(c *Config, v string) error { c.LogFormat = v; return oneOf(v, "text", "json") }},
		{Name: "SHUTDOWN_TIMEOUT", Default: "20s", Help: "how long requests in flight may take to finish at shutdown",
			set: func(c *Config, v string) (err error) { c.ShutdownTimeout, err = duration(v); return }},
		{Name: "SMTP_HOST", Default: "", Help: "mail server; empty writes mail to the log instead",
			set: func(c *Config, v string) error { c.SMTPHost = v; return nil }},
		{Name: "SMTP_PORT", Default: "587", Help: "mail server port",
			set: func(c *Config, v string) error {
				p, err := strconv.Atoi(v)
				if err != nil || p < 1 || p > 65535 {
					return errors.New("must be a port number between 1 and 65535")
				}
				c.SMTPPort = p
				return nil
			}},
		{Name: "SMTP_USERNAME", Default: "", Help: "mail server user (empty: no authentication)",
			set: func(c *Config, v string) error { c.SMTPUsername = v; return nil }},
		{Name: "SMTP_PASSWORD", Default: "", Help: "mail server password", Secret: true,
			set: func(c *Config, v string) error { c.SMTPPassword = v; return nil }},
		{Name: "SMTP_TLS", Default: "starttls", Help: "none, starttls or tls",
			set: func(c *Config, v string) error { c.SMTPTLS = v; return oneOf(v, "none", "starttls", "tls") }},
		{Name: "MAIL_FROM", Default: "IPA Mission Grants <grants@localhost>", Help: "sender of the portal's emails",
			set: func(c *Config, v string) error {
				if _, err := mail.ParseAddress(v); err != nil {
					return errors.New("must be an email address, optionally with a name: Name <addr@example.org>")
				}
				c.MailFrom = v
				return nil
			}},
		{Name: "TRUSTED_PROXIES", Default: "", Help: "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed",
			set: func(c *Config, v string) error {
				c.TrustedProxies = nil
				for _, p := range strings.Split(v, ",") {
					if p = strings.TrimSpace(p); p == "" {
						continue
					}
					if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
						return fmt.Errorf("%q is neither an IP address nor a CIDR", p)
					}
					c.TrustedProxies = append(c.TrustedProxies, p)
				}
				return nil
			}},
		{Name: "PAYMENT_APPROVAL_THRESHOLD", Default: "10000", Help: "payments of at least this many US dollars need a second admin's approval (0: never)",
			set: func(c *Config, v string) error {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				if err != nil || n < 0 || n > 1_000_000_000 {
					return errors.New("must be a whole number of dollars, 0 or more")
				}
				c.PaymentApprovalCents = n * 100
				return nil
			}},
		{Name: "REPORT_DUE_DAYS", Default: "60", Help: "a post-trip report is due this many days after the trip ends",
			set: func(c *Config, v string) error {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || n < 1 || n > 365 {
					return errors.New("must be a number of days from 1 to 365")
				}
				c.ReportDueDays = n
				return nil
			}},
		{Name: "IMPACT_MIN_CELL", Default: "11", Help: "the public impact page withholds any count below this, and whatever would let one be worked out (report.PublicImpact), so no patient can be identified",
			set: func(c *Config, v string) error {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || n < 1 || n > 1000 {
					return errors.New("must be a number from 1 to 1000")
				}
				c.ImpactMinCell = n
				return nil
			}},
		{Name: "METRICS_ADDR", Default: "", Help: "address of a separate listener for Prometheus at /metrics, e.g. 127.0.0.1:9100 (empty: no metrics); keep it internal",
			set: func(c *Config, v string) error { c.MetricsAddr = strings.TrimSpace(v); return nil }},
		{Name: "COOKIE_SECURE", Default: "auto", Help: "mark cookies Secure: auto (when BASE_URL is https), true (behind a TLS proxy) or false",
			set: func(c *Config, v string) error {
				switch v {
				case "auto":
					c.CookieSecure = c.BaseURL != nil && c.BaseURL.Scheme == "https"
				case "true", "false":
					c.CookieSecure = v == "true"
				default:
					return errors.New("must be auto, true or false")
				}
				return nil
			}},
		{Name: "SESSION_IDLE_TIMEOUT", Default: "1h", Help: "a session ends after this long without a request",
			set: func(c *Config, v string) (err error) { c.SessionIdleTimeout, err = duration(v); return }},
		{Name: "SESSION_LIFETIME", Default: "12h", Help: "a session ends this long after login, however active",
			set: func(c *Config, v string) (err error) { c.SessionLifetime, err = duration(v); return }},
		{Name: "VOTE_QUORUM", Default: "1/2", Help: "a board vote counts when more than this share of the members not recused cast a ballot (abstentions included)",
			set: func(c *Config, v string) (err error) { c.VoteQuorum, err = fraction(v); return }},
		{Name: "VOTE_APPROVAL", Default: "1/2", Help: "an application is approved when more than this share of the votes for or against approve (abstentions excluded)",
			set: func(c *Config, v string) (err error) { c.VoteApproval, err = fraction(v); return }},
		{Name: "JOB_POLL_INTERVAL", Default: "1s", Help: "how often the job queue looks for new work",
			set: func(c *Config, v string) (err error) { c.JobPollInterval, err = duration(v); return }},
		{Name: "S3_BUCKET", Default: "", Help: "S3 bucket for uploaded documents; empty keeps them on local disk under DATA_DIR/documents",
			set: func(c *Config, v string) error { c.S3Bucket = v; return nil }},
		{Name: "S3_ENDPOINT", Default: "", Help: "URL of an S3-compatible server (path-style addressing); empty for AWS",
			set: func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return errors.New("must be an absolute http(s) URL such as https://s3.example.org")
				}
				c.S3Endpoint = v
				return nil
			}},
		{Name: "S3_REGION", Default: "us-east-1", Help: "region of the S3 bucket",
			set: func(c *Config, v string) error { c.S3Region = v; return nonEmpty(v) }},
		{Name: "S3_ACCESS_KEY_ID", Default: "", Help: "S3 access key; empty uses the AWS default credentials (environment, instance role)",
			set: func(c *Config, v string) error { c.S3AccessKeyID = v; return nil }},
		{Name: "S3_SECRET_ACCESS_KEY", Default: "", Help: "S3 secret key, required with S3_ACCESS_KEY_ID", Secret: true,
			set: func(c *Config, v string) error {
				c.S3SecretAccessKey = v
				if (c.S3AccessKeyID == "") != (v == "") {
					return errors.New("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together")
				}
				return nil
			}},
		{Name: "UPLOAD_MAX_BYTES", Default: "26214400", Help: "largest document accepted, in bytes (default 25 MiB)",
			set: func(c *Config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < 1 {
					return errors.New("must be a positive number of bytes such as 26214400")
				}
				c.UploadMaxBytes = n
				return nil
			}},
		{Name: "CLAMD_ADDRESS", Default: "", Help: "ClamAV daemon that scans every upload: host:port or a unix socket path; empty: no scanning",
			set: func(c *Config, v string) error {
				c.ClamdAddress = v
				if v == "" || filepath.IsAbs(v) {
					return nil
				}
				host, port, err := net.SplitHostPort(v)
				if p, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || p < 1 || p > 65535 {
					return errors.New("must be host:port (such as 127.0.0.1:3310) or the absolute path of clamd's unix socket")
				}
				return nil
			}},
	}
}

// Load reads the environment through getenv (os.Getenv in production). It
// reports every bad variable at once, each by name.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{}
	var errs []error
	for _, o := range Options() {
		v, ok := lookup(getenv, o)
		if !ok {
			v = o.Default
		}
		if err := o.set(c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", o.Name, shown(o, v), err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	if c.ListenAddr == "" {
		// The demo's passwords and codes are printed: only this machine
		// may use them, unless the operator says otherwise.
		c.ListenAddr = ":8080"
		if c.Embedded() {
			c.ListenAddr = "127.0.0.1:8080"
		}
	}
	return c, nil
}

// listenAddr checks a host:port to listen on ("" is the default).
func listenAddr(v string) error {
	if v == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("must be host:port or :port, e.g. 127.0.0.1:8080")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errors.New("the port must be a number from 0 to 65535")
	}
	return nil
}

func lookup(getenv func(string) string, o Option) (string, bool) {
	if v := getenv(o.Name); v != "" {
		return v, true
	}
	if o.Secret {
		if path := getenv(o.Name + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", true // reported by the setter as empty where empty is invalid
			}
			return strings.TrimSpace(string(b)), true
		}
	}
	return "", false
}

func shown(o Option, v string) string {
	if o.Secret && v != "" {
		return "***"
	}
	return v
}

func nonEmpty(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}

func duration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, errors.New("must be a positive duration such as 500ms, 20s or 5m")
	}
	return d, nil
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "missiongrants")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "missiongrants")
	}
	return filepath.Join(os.TempDir(), "missiongrants")
}
