package storage

import (
	"database/sql"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// search is the condition of the dashboard's search boxes: part of a name or email, matched
// without regard to case (emails are stored lower-case), or a code, whole. Its arguments
// come from searchArgs.
func search(name, email string, codes ...string) string {
	var b strings.Builder
	b.WriteString("(lower(" + name + `) LIKE @part ESCAPE '\' OR ` + email + ` LIKE @part ESCAPE '\'`)
	for _, c := range codes {
		b.WriteString(" OR " + c + " = @code")
	}
	return b.String() + ")"
}

// searchArgs are the pattern for a part of a name or email, its wildcards taken literally,
// and the text read as a code.
func searchArgs(text string) []any {
	literal := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(text))
	return []any{sql.Named("part", "%"+literal+"%"), sql.Named("code", referral.NormalizeCode(text))}
}
