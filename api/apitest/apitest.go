// Package apitest is an HTTP client for API tests that validates every response it receives
// against the OpenAPI document the service serves, failing the test on any mismatch.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/beian/beian/api"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Client talks to one test server.
type Client struct {
	t      testing.TB
	base   string
	http   *http.Client
	router routers.Router
}

// New returns a client for the server at base (e.g. httptest.Server.URL).
func New(t testing.TB, base string) *Client {
	t.Helper()
	doc, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = nil // match paths regardless of host
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return &Client{t: t, base: base, http: &http.Client{}, router: router}
}

// Base is the server's base URL.
func (c *Client) Base() string { return c.base }

// Response is a received, already validated response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorCode is error.code of an error envelope ("" if the body is not one).
func (r Response) ErrorCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Do sends a request with an optional JSON body (any value, marshalled) and bearer token.
func (c *Client) Do(method, path string, body any, token string) Response {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.Send(req)
}

// MultipartRequest builds a multipart/form-data POST to path: the fields first, in order, then one
// file part. An empty token sends no Authorization header. Send it with Send.
func (c *Client) MultipartRequest(path string, fields [][2]string, fileField, fileName string, data []byte, token string) *http.Request {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			c.t.Fatal(err)
		}
	}
	part, err := w.CreateFormFile(fileField, fileName)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// Send sends a prepared request (e.g. multipart) and validates the response.
func (c *Client) Send(req *http.Request) Response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	c.validate(req, res, body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: body}
}

func (c *Client) validate(req *http.Request, res *http.Response, body []byte) {
	c.t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
			return // an unknown route answered with the standard envelope; nothing to match
		}
		c.t.Fatalf("%s %s is not in openapi.yaml: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true,
			// kin-openapi decodes JSON bodies only; an HTML page (the job monitor) is checked by
			// status and content type.
			ExcludeResponseBody: strings.HasPrefix(res.Header.Get("Content-Type"), "text/html")},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		c.t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path,
			res.StatusCode, strings.SplitN(err.Error(), "\n", 2)[0], body)
	}
}
