package blob

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Open returns the Store that rawURL names. Two forms are accepted:
//
//   - "file:///abs/dir", or a bare path such as "./data/files": a Local rooted at that directory.
//   - "s3://KEY_ID:SECRET@bucket/optional/prefix?endpoint=https://host&region=r&path_style=true": an S3
//     store on that bucket, every key under the optional prefix. The static credentials are the URL's
//     user information; percent-encode a secret containing '/', '+', '@', ':' or '%'. Query parameters:
//     endpoint (an http or https base URL; absent means AWS S3), region (default us-east-1), path_style
//     (default false; MinIO, SeaweedFS and versitygw on a bare address need true, Tencent COS false) and
//     create_bucket (default false; creates a missing bucket, for development and tests only). Any other
//     parameter is an error, so that a misspelt option is not silently ignored.
//
// An S3 URL carries a secret, so the whole URL must be treated as one: no error from Open contains the
// URL or the secret, and logs should show it through url.URL.Redacted. Open makes one request to the
// bucket, so a wrong endpoint, credential or bucket name fails here rather than on the first upload.
// Callers holding the credentials in separate settings fill an S3Config and call NewS3 instead.
func Open(ctx context.Context, rawURL string) (Store, error) {
	if rawURL == "" {
		return nil, errors.New("blob: empty store URL")
	}
	if !strings.Contains(rawURL, "://") {
		if strings.HasPrefix(rawURL, "file:") || strings.HasPrefix(rawURL, "s3:") {
			return nil, errors.New("blob: store URL must be file:///abs/dir, s3://bucket or a bare path")
		}
		return asStore(NewLocal(rawURL))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error repeats the URL, and with it the secret.
		return nil, errors.New("blob: store URL does not parse (percent-encode '/', '+', '@', ':' and '%' in the secret)")
	}
	switch u.Scheme {
	case "file":
		return asStore(openFile(u))
	case "s3":
		cfg, err := parseS3URL(u)
		if err != nil {
			return nil, err
		}
		return asStore(NewS3(ctx, cfg))
	default:
		return nil, fmt.Errorf("blob: unknown store URL scheme %q (want file or s3)", u.Scheme)
	}
}

// asStore turns a constructor's result into Open's, keeping a failed constructor's nil pointer from
// becoming a non-nil Store.
func asStore[S Store](s S, err error) (Store, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

func openFile(u *url.URL) (*Local, error) {
	if u.Host != "" && u.Host != "localhost" {
		return nil, fmt.Errorf("blob: file URL names host %q; write file:///abs/dir", u.Host)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("blob: file URL takes no user, query or fragment")
	}
	if u.Path == "" || u.Path == "/" {
		return nil, errors.New("blob: file URL names no directory")
	}
	return NewLocal(u.Path)
}

// parseS3URL turns an s3:// URL into an S3Config, as described on Open.
func parseS3URL(u *url.URL) (S3Config, error) {
	cfg := S3Config{Bucket: u.Host}
	if cfg.Bucket == "" {
		return S3Config{}, errors.New("blob: s3 URL names no bucket: want s3://KEY_ID:SECRET@bucket?endpoint=URL")
	}
	if u.User != nil {
		cfg.AccessKeyID = u.User.Username()
		cfg.SecretAccessKey, _ = u.User.Password()
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		cfg.Prefix = p + "/"
	}
	if u.Fragment != "" {
		return S3Config{}, errors.New("blob: s3 URL takes no fragment")
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return S3Config{}, errors.New("blob: s3 URL query does not parse")
	}
	for name, values := range query {
		if len(values) != 1 {
			return S3Config{}, fmt.Errorf("blob: s3 URL sets %s %d times", name, len(values))
		}
		value := values[0]
		switch name {
		case "endpoint":
			cfg.Endpoint = value
		case "region":
			cfg.Region = value
		case "path_style":
			cfg.PathStyle, err = strconv.ParseBool(value)
		case "create_bucket":
			cfg.CreateBucket, err = strconv.ParseBool(value)
		default:
			return S3Config{}, fmt.Errorf("blob: s3 URL has unknown parameter %q (want endpoint, region, path_style or create_bucket)", name)
		}
		if err != nil {
			return S3Config{}, fmt.Errorf("blob: s3 URL parameter %s=%q is not true or false", name, value)
		}
	}
	if err := cfg.validate(); err != nil {
		return S3Config{}, err
	}
	return cfg, nil
}

// validateBucket applies the S3 bucket naming rules: 3 to 63 lowercase letters, digits, '-' and '.',
// starting and ending with a letter or digit. Tencent COS names ("name-1250000000") and Huawei OBS
// names fit them.
func validateBucket(name string) error {
	if len(name) < 3 || len(name) > 63 {
		return fmt.Errorf("blob: bucket name %q must be 3 to 63 characters", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if !alnum && c != '-' && c != '.' || !alnum && (i == 0 || i == len(name)-1) {
			return fmt.Errorf("blob: bucket name %q breaks the S3 naming rules", name)
		}
	}
	if strings.Contains(name, "..") {
		return fmt.Errorf("blob: bucket name %q breaks the S3 naming rules", name)
	}
	return nil
}

// validateEndpoint accepts an http or https base URL with a host and nothing after it.
func validateEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return errors.New("blob: s3 endpoint does not parse; want http(s)://host[:port]")
	}
	if u.User != nil {
		return errors.New("blob: s3 endpoint must not carry credentials; put them in the s3:// URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("blob: s3 endpoint %q is not an http(s)://host[:port] URL", endpoint)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("blob: s3 endpoint %q must be a bare base URL, without path or query", endpoint)
	}
	return nil
}
