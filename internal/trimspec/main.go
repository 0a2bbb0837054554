// Command trimspec cuts Polar's published OpenAPI spec down to the
// operations this module wraps, and applies the few rewrites oapi-codegen
// needs (see rewrites.go). Its output is deterministic: object keys are
// sorted and the same input always gives the same bytes.
//
// Usage:
//
//	go run ./internal/trimspec -in <file or http(s) URL> [-out openapi/openapi.json] [-ops id,id]
//
// Writing to a file, it prints on standard error what changed from the
// spec the file held (see Summarize) and the request fields the client
// does not expose (see Unexposed).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// defaultOps are the operations the client package wraps.
const defaultOps = "customer-sessions:create,customer_portal:customer-session:introspect"

// maxSpecSize bounds a downloaded spec; Polar's is under 3 MiB.
const maxSpecSize = 64 << 20

func main() {
	in := flag.String("in", "", "upstream spec: a file path or an http(s) URL (required)")
	out := flag.String("out", "-", "where to write the trimmed spec; - for standard output")
	ops := flag.String("ops", defaultOps, "comma-separated operationIds to keep")
	genFile := flag.String("gen", "gen/gen.go", "the generated code, to find the Go names of request fields")
	facade := flag.String("facade", "client", "the package that builds request bodies")
	flag.Parse()
	if *in == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*in, *out, strings.Split(*ops, ","), *genFile, *facade); err != nil {
		fmt.Fprintln(os.Stderr, "trimspec:", err)
		os.Exit(1)
	}
}

func run(in, out string, ops []string, genFile, facade string) error {
	raw, err := readSource(in)
	if err != nil {
		return err
	}
	upstream, err := decode(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	trimmed, err := Trim(upstream, ops)
	if err != nil {
		return err
	}
	data, err := encode(trimmed)
	if err != nil {
		return err
	}
	if out == "-" {
		_, err = os.Stdout.Write(data)
		return err
	}
	if err := report(os.Stderr, out, trimmed, genFile, facade); err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o644)
}

// readSource reads a local file, or downloads an http(s) URL.
func readSource(src string) ([]byte, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		return os.ReadFile(src)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", src, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSpecSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSpecSize {
		return nil, fmt.Errorf("GET %s: spec larger than %d bytes", src, maxSpecSize)
	}
	return data, nil
}

// decode parses a JSON spec, keeping numbers as json.Number.
func decode(data []byte) (Spec, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var spec Spec
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("decoding spec (JSON expected): %w", err)
	}
	return spec, nil
}

// encode writes spec as indented JSON with sorted keys and no HTML escaping,
// so descriptions stay readable and the bytes are reproducible.
func encode(spec Spec) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(spec); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
