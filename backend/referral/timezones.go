package referral

import (
	_ "embed"
	"slices"
	"strings"
	"time"
)

// timezones.txt is the IANA zones people choose from, one per country region: the third
// column of the tz database's zone.tab, plus UTC. Regenerate with
//
//	(echo UTC; grep -v '^#' /usr/share/zoneinfo/zone.tab | cut -f3) | sort -u
//
//go:embed timezones.txt
var zoneList string

// TimeZones are the IANA time zones offered when a practice picks its own, sorted.
var TimeZones = strings.Fields(zoneList)

// ValidTimeZone tells whether name is an IANA time zone: one of TimeZones, or another name
// the tz database knows (such as US/Eastern). "Local" is the server's, not a practice's.
func ValidTimeZone(name string) bool {
	if _, found := slices.BinarySearch(TimeZones, name); found {
		return true
	}
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}
