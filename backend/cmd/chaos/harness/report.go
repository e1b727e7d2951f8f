package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"
)

// Totals is the one JSON line a run ends with; any count above zero fails the run.
type Totals struct {
	Scenarios        int      `json:"scenarios"`
	AcknowledgedLost int      `json:"acknowledged_lost"`
	DuplicateRewards int      `json:"duplicate_rewards"`
	CrossTenantReads int      `json:"cross_tenant_reads"`
	ServerErrors     int      `json:"server_errors"`
	FailedChecks     int      `json:"failed_checks"`
	RecoveryMax      *float64 `json:"recovery_s_max"`
}

// Failed reports whether anything counted against the run.
func (t Totals) Failed() bool {
	return t.AcknowledgedLost+t.DuplicateRewards+t.CrossTenantReads+t.ServerErrors+t.FailedChecks > 0
}

// Report prints the table, what failed and why, and the JSON line last.
func Report(w io.Writer, runs []Summary) Totals {
	fmt.Fprintln(w, "| scenario | requests | 2xx | 4xx | 5xx | no answer | acknowledged but lost | duplicate rewards | cross-tenant leaks | 500s | failed checks | recovery |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	totals := Totals{Scenarios: len(runs)}
	for _, s := range runs {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n", s.Name, s.Requests,
			s.C2, s.C4, s.C5, s.NoAnswer, s.Lost, s.Duplicates, s.Leaks, s.ServerErrors, s.FailedChecks, seconds(s.Recovery))
		totals.AcknowledgedLost += s.Lost
		totals.DuplicateRewards += s.Duplicates
		totals.CrossTenantReads += s.Leaks
		totals.ServerErrors += s.ServerErrors
		totals.FailedChecks += s.FailedChecks
		if s.Recovery >= 0 {
			r := math.Round(s.Recovery.Seconds()*10) / 10
			if totals.RecoveryMax == nil || r > *totals.RecoveryMax {
				totals.RecoveryMax = &r
			}
		}
	}
	fmt.Fprintln(w)
	for _, s := range runs {
		if len(s.Failures)+len(s.Examples)+len(s.Notes) == 0 {
			continue
		}
		fmt.Fprintf(w, "**%s**\n", s.Name)
		for _, f := range s.Failures {
			fmt.Fprintf(w, "- FAILED: %s\n", f)
		}
		for _, e := range s.Examples {
			fmt.Fprintf(w, "- server error: %s\n", e)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
		fmt.Fprintln(w)
	}
	line, _ := json.Marshal(totals)
	fmt.Fprintln(w, string(line))
	return totals
}

func seconds(d time.Duration) string {
	if d < 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
