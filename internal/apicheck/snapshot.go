package apicheck

import (
	"path/filepath"
	"strings"
)

// Packages are the module's public packages whose API is held by a
// snapshot in api/<name>.txt, and "gen": the generated types they expose.
var Packages = []string{"client", "polartest", "rules", "portal", "gen"}

// Snapshot is the text of api/<pkg>.txt for the module at root. The gen
// snapshot holds only the generated types the other packages expose (see
// Exposed); go generate rewrites it, since a spec change changes them.
func Snapshot(root, pkg string) (string, error) {
	lines, err := List(filepath.Join(root, pkg))
	if err != nil || pkg != "gen" {
		return strings.Join(lines, "\n") + "\n", err
	}
	var public []string
	for _, p := range Packages[:len(Packages)-1] {
		l, err := List(filepath.Join(root, p))
		if err != nil {
			return "", err
		}
		public = append(public, l...)
	}
	return strings.Join(Exposed(public, lines), "\n") + "\n", nil
}
