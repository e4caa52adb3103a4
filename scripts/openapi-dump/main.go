// Command openapi-dump writes the OpenAPI document as beian serves it at /openapi.json to stdout,
// for outside linters.
package main

import (
	"fmt"
	"os"

	"github.com/beian/beian/api"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	b, err := api.OpenAPIJSON()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}
