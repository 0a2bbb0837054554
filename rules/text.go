package rules

import "strings"

// CheckText is a placeholder until the polartest branch lands.
func CheckText(s string) *Violation {
	if strings.ContainsRune(s, 0) {
		return &Violation{Type: "value_error", Msg: "Value error, This value contains invalid characters",
			Ctx: map[string]any{"error": map[string]any{}}, Reason: "contains a NUL character, which Polar refuses in every string"}
	}
	return nil
}
