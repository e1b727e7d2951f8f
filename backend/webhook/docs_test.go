package webhook_test

import (
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/advocateloop/advocateloop/backend/webhook"
)

// The README and openapi.yaml show the allow-list as a table; every name the code tries must
// be in both, so what practices read is what the server does.
func TestNamesAreDocumented(t *testing.T) {
	for _, doc := range []string{"../../README.md", "../../openapi.yaml"} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, word := range strings.FieldsFunc(string(b), func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
		}) {
			names[strings.ReplaceAll(strings.ToLower(word), "_", "")] = true
		}
		for _, table := range []map[string][]string{webhook.PaymentNames(), webhook.RefundNames()} {
			for field, aliases := range table {
				for _, alias := range aliases {
					if !names[alias] {
						t.Errorf("%s does not list %q (for %s)", doc, alias, field)
					}
				}
			}
		}
	}
}
