// Command apisnapshot writes the API snapshots in api/ (see package
// internal/apicheck): all of them for `make api`, after a deliberate change
// of the exported API, or with -only gen the generated types the public API
// exposes, which go generate rewrites with the code.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/polarsessions/polarsessions-go/internal/apicheck"
)

func main() {
	only := flag.String("only", "", "write only this package's snapshot")
	flag.Parse()
	for _, pkg := range apicheck.Packages {
		if *only != "" && pkg != *only {
			continue
		}
		text, err := apicheck.Snapshot(".", pkg)
		if err == nil {
			err = os.WriteFile(filepath.Join("api", pkg+".txt"), []byte(text), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "apisnapshot:", err)
			os.Exit(1)
		}
	}
	if *only != "" && !slices.Contains(apicheck.Packages, *only) {
		fmt.Fprintln(os.Stderr, "apisnapshot: no package", *only)
		os.Exit(2)
	}
}
