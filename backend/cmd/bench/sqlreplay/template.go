package sqlreplay

import (
	"fmt"
	"regexp"
	"strings"
)

// MarkerWidth is how many digits the marker has: the number of the seeded row a request is
// about (its friend, referral, advocate, invoice), zero-padded, inside every value derived
// from it.
const MarkerWidth = 12

// Marker is the marker of seeded row n.
func Marker(n int64) string { return fmt.Sprintf("%0*d", MarkerWidth, n) }

// PieceKind says where a piece of a value comes from in a replay.
type PieceKind int

const (
	Literal PieceKind = iota // the same text every time
	Seeded                   // the marker of the replay's seeded row
	Fresh                    // a value the server made up (an id, a code, a hash): new every time
)

// Piece is a part of a value.
type Piece struct {
	Kind PieceKind
	Text string // Literal's text
	Slot int    // Fresh's number: one slot per distinct made-up value in the request
}

// Arg is a parameter of a replayed statement: NULL, or its pieces in order.
type Arg struct {
	Null   bool
	Pieces []Piece
}

// Constant reports whether the argument is the same in every replay.
func (a Arg) Constant() bool {
	for _, p := range a.Pieces {
		if p.Kind != Literal {
			return false
		}
	}
	return true
}

// Text is the argument's text in the replay about seeded row k.
func (a Arg) Text(k int64) string {
	var b strings.Builder
	for _, p := range a.Pieces {
		switch p.Kind {
		case Literal:
			b.WriteString(p.Text)
		case Seeded:
			b.WriteString(Marker(k))
		case Fresh:
			b.WriteString(FreshText(p.Slot, k))
		}
	}
	return b.String()
}

// FreshText is what a made-up value becomes in the replay about row k: lower-case letters make
// it unlike any id the server makes (upper-case ULIDs), k makes it unique to the replay.
func FreshText(slot int, k int64) string { return freshPrefix(slot) + fmt.Sprint(k) }

func freshPrefix(slot int) string { return fmt.Sprintf("u%dx", slot) }

// Template is a request's statements with every value that must differ from one request to
// the next marked as such.
type Template struct {
	Statements []TemplateStatement
	// Notes say where the replay cannot be faithful; empty when it is.
	Notes []string
	// Kept counts values that differed between the captures but are kept as captured because
	// they are times or plain numbers (a clock reading, not an identity).
	Kept int
}

// TemplateStatement is one statement of a template.
type TemplateStatement struct {
	SQL     string
	Args    []Arg
	Session string
}

// Counts counts the template's statements as Count does.
func (t *Template) Counts() Counts {
	stmts := make([]Statement, len(t.Statements))
	for i, s := range t.Statements {
		stmts[i] = Statement{SQL: s.SQL, Session: s.Session}
	}
	return Count(stmts)
}

// Build compares two captures of the same kind of request, a about seeded row markerA and b
// about markerB, and keeps what stays the same as literal text. Where a value differs, each
// occurrence of the row's marker becomes Seeded, times and plain numbers are kept as in a, and
// every other differing word (ids, codes, hashes) becomes Fresh, the same word the same slot
// wherever it appears, so a conversion's id written in three statements stays one id.
func Build(a, b []Statement, markerA, markerB string) (*Template, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("sqlreplay: the two captures differ: %d statements and %d", len(a), len(b))
	}
	t := &Template{}
	slots := map[string]int{}
	fresh := map[string]string{} // a's word → b's word, to check each slot stands for one value
	for i := range a {
		if a[i].SQL != b[i].SQL || len(a[i].Params) != len(b[i].Params) {
			return nil, fmt.Errorf("sqlreplay: the two captures differ at statement %d: %.80q and %.80q", i+1, a[i].SQL, b[i].SQL)
		}
		st := TemplateStatement{SQL: a[i].SQL, Session: a[i].Session}
		for j, va := range a[i].Params {
			vb := b[i].Params[j]
			where := fmt.Sprintf("statement %d (%.40s…) parameter $%d", i+1, oneLine(a[i].SQL), j+1)
			st.Args = append(st.Args, t.arg(va, vb, markerA, markerB, where, slots, fresh))
		}
		t.Statements = append(t.Statements, st)
	}
	return t, nil
}

func (t *Template) arg(va, vb Value, markerA, markerB, where string, slots map[string]int, fresh map[string]string) Arg {
	switch {
	case va.Null && vb.Null:
		return Arg{Null: true}
	case va.Null != vb.Null:
		t.Notes = append(t.Notes, where+" is NULL in one capture only; replayed as in the first")
		if va.Null {
			return Arg{Null: true}
		}
		return Arg{Pieces: []Piece{{Text: va.Text}}}
	case va.Text == vb.Text:
		return Arg{Pieces: []Piece{{Text: va.Text}}}
	}
	partsA, partsB := strings.Split(va.Text, markerA), strings.Split(vb.Text, markerB)
	if len(partsA) != len(partsB) {
		partsA, partsB = []string{va.Text}, []string{vb.Text}
	}
	var pieces []Piece
	for n := range partsA {
		if n > 0 {
			pieces = append(pieces, Piece{Kind: Seeded})
		}
		pieces = append(pieces, t.diffWords(partsA[n], partsB[n], where, slots, fresh)...)
	}
	return Arg{Pieces: merge(pieces)}
}

// word splits a value into times, runs of letters and digits, and single other characters.
var word = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?|[A-Za-z0-9]+|(?s:.)`)

var (
	timeWord  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]`)
	digitWord = regexp.MustCompile(`^[0-9]+$`)
)

func (t *Template) diffWords(a, b, where string, slots map[string]int, fresh map[string]string) []Piece {
	if a == b {
		return []Piece{{Text: a}}
	}
	wa, wb := word.FindAllString(a, -1), word.FindAllString(b, -1)
	if len(wa) != len(wb) {
		t.Notes = append(t.Notes, where+" differs in shape between the captures; replayed as in the first")
		return []Piece{{Text: a}}
	}
	var pieces []Piece
	for n := range wa {
		switch {
		case wa[n] == wb[n]:
			pieces = append(pieces, Piece{Text: wa[n]})
		case timeWord.MatchString(wa[n]) || digitWord.MatchString(wa[n]):
			t.Kept++
			pieces = append(pieces, Piece{Text: wa[n]})
		default:
			slot, seen := slots[wa[n]]
			if !seen {
				slot = len(slots) + 1
				slots[wa[n]], fresh[wa[n]] = slot, wb[n]
			} else if fresh[wa[n]] != wb[n] {
				t.Notes = append(t.Notes, fmt.Sprintf("%s: a made-up value of the first capture stands for two of the second; both replayed as one", where))
			}
			pieces = append(pieces, Piece{Kind: Fresh, Slot: slot})
		}
	}
	return pieces
}

// merge joins neighbouring literal pieces.
func merge(pieces []Piece) []Piece {
	var out []Piece
	for _, p := range pieces {
		if p.Kind == Literal && p.Text == "" {
			continue
		}
		if n := len(out); n > 0 && p.Kind == Literal && out[n-1].Kind == Literal {
			out[n-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		out = []Piece{{Text: ""}}
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
