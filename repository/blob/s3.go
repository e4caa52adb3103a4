package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// defaultRegion is used when S3Config.Region is empty. S3-compatible servers that ignore regions
// (MinIO, SeaweedFS, versitygw) accept it, and it is AWS's own default.
const defaultRegion = "us-east-1"

// S3Config says where an S3 store keeps its objects and how it signs in. Only static credentials are
// supported: the client never reads AWS_* environment variables, shared config files or instance roles.
type S3Config struct {
	// Bucket holds the objects. It must already exist unless CreateBucket is set.
	Bucket string
	// Prefix is prepended to every key, so that several stores (or test runs) can share one bucket. It is
	// empty or a valid key followed by '/', for example "beian/prod/".
	Prefix string
	// Endpoint is the service's base URL, such as "https://cos.ap-guangzhou.myqcloud.com",
	// "https://obs.cn-north-4.myhuaweicloud.com" or "http://127.0.0.1:7070". Empty means AWS S3 itself.
	Endpoint string
	// Region signs the requests; empty means us-east-1.
	Region string
	// PathStyle addresses the bucket as endpoint/bucket/key instead of bucket.endpoint/key. MinIO,
	// SeaweedFS and versitygw on a bare address need it; Tencent COS needs it off.
	PathStyle bool
	// AccessKeyID and SecretAccessKey are the static credentials. Both are required.
	AccessKeyID     string
	SecretAccessKey string
	// CreateBucket makes NewS3 create Bucket when it does not exist. It is meant for development and
	// tests; production buckets are provisioned with their access policy and lifecycle rules.
	CreateBucket bool
}

// String describes the store without its credentials, for logs.
func (c S3Config) String() string {
	endpoint := c.Endpoint
	if endpoint == "" {
		endpoint = "aws"
	}
	return fmt.Sprintf("s3://%s/%s (endpoint %s, region %s, path style %t)",
		c.Bucket, c.Prefix, endpoint, c.region(), c.PathStyle)
}

// LogValue logs the configuration as String does, so that no slog handler sees the secret.
func (c S3Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c S3Config) region() string {
	if c.Region == "" {
		return defaultRegion
	}
	return c.Region
}

// S3 is a Store keeping each object in an S3 bucket under Prefix+key. A Put replaces the object
// atomically, so a reader sees the old object or the new one; S3 provides the durability once Put
// returns. Keys are checked with ValidateKey, like Local's, so objects can move between the two; unlike
// Local, a key may also be the directory of other keys. S3 is safe for concurrent use.
type S3 struct {
	client *s3.Client
	bucket string
	prefix string
}

// NewS3 returns an S3 store after checking that the bucket exists and the credentials may reach it
// (creating the bucket first when cfg.CreateBucket is set), so that a wrong setting fails at start-up
// rather than on the first upload.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	return newS3(ctx, cfg)
}

// newS3 is NewS3 with client options on top, which tests use to turn off retries.
func newS3(ctx context.Context, cfg S3Config, optFns ...func(*s3.Options)) (*S3, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	creds := aws.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, Source: "beian"}
	opts := s3.Options{
		Region:       cfg.region(),
		UsePathStyle: cfg.PathStyle,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		// Checksums only where the API requires them: the default adds trailing CRC checksums in
		// aws-chunked bodies, which several S3-compatible services reject. Sealed objects carry their
		// own authentication tag.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	s := &S3{client: s3.New(opts, optFns...), bucket: cfg.Bucket, prefix: cfg.Prefix}
	if err := s.checkBucket(ctx, cfg.CreateBucket); err != nil {
		return nil, err
	}
	return s, nil
}

func (c S3Config) validate() error {
	if err := validateBucket(c.Bucket); err != nil {
		return err
	}
	if c.Prefix != "" {
		trimmed, ok := strings.CutSuffix(c.Prefix, "/")
		if !ok || ValidateKey(trimmed) != nil {
			return fmt.Errorf("blob: s3 prefix %q is not a valid key followed by '/'", c.Prefix)
		}
	}
	if c.Endpoint != "" {
		if err := validateEndpoint(c.Endpoint); err != nil {
			return err
		}
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return errors.New("blob: s3 needs both an access key id and a secret access key")
	}
	return nil
}

// checkBucket makes one request to the bucket, creating it first when create is set.
func (s *S3) checkBucket(ctx context.Context, create bool) error {
	if create {
		in := &s3.CreateBucketInput{Bucket: aws.String(s.bucket)}
		if region := s.client.Options().Region; region != defaultRegion {
			// Outside us-east-1, AWS requires the bucket's region in the request body.
			in.CreateBucketConfiguration = &types.CreateBucketConfiguration{
				LocationConstraint: types.BucketLocationConstraint(region),
			}
		}
		_, err := s.client.CreateBucket(ctx, in)
		var owned *types.BucketAlreadyOwnedByYou
		if err != nil && !errors.As(err, &owned) {
			return fmt.Errorf("blob: create bucket %s: %w", s.bucket, contextError(ctx, err))
		}
	}
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	var missing *types.NotFound
	if errors.As(err, &missing) {
		return fmt.Errorf("blob: bucket %s does not exist (create it, or set create_bucket=true in development)", s.bucket)
	}
	if err != nil {
		return fmt.Errorf("blob: reach bucket %s: %w", s.bucket, contextError(ctx, err))
	}
	return nil
}

func (s *S3) object(key string) (*string, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	return aws.String(s.prefix + key), nil
}

// Put stores data under key, replacing any object already there.
func (s *S3) Put(ctx context.Context, key string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	object, err := s.object(key)
	if err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           object,
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentType:   aws.String("application/octet-stream"),
	})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, contextError(ctx, err))
	}
	return nil
}

// Get returns the object under key, or an error wrapping ErrNotFound when there is none. A missing
// bucket is not ErrNotFound: it is a misconfiguration, not a missing object.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	object, err := s.object(key)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: object})
	if isNoSuchKey(err) {
		return nil, fmt.Errorf("get %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, contextError(ctx, err))
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, contextError(ctx, err))
	}
	return data, nil
}

// Delete removes the object under key. A missing object is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	object, err := s.object(key)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: object})
	if err != nil && !isNoSuchKey(err) {
		return fmt.Errorf("delete %s: %w", key, contextError(ctx, err))
	}
	return nil
}

// isNoSuchKey reports whether err says the object is missing. S3 answers a missing key with the
// NoSuchKey code; NoSuchBucket and every other 404 stay errors.
func isNoSuchKey(err error) bool {
	var noKey *types.NoSuchKey
	if errors.As(err, &noKey) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchKey"
}

// contextError returns the context's error when the context ended during the request, so that callers
// can test for context.Canceled or context.DeadlineExceeded, and err otherwise.
func contextError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return err
}
