package mail_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
	"github.com/advocateloop/advocateloop/backend/logging"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// The worker logs one line per attempt through the server's logger: which message, never what
// it says, and no whole address, even when the mail server's answer quotes one. This fails if
// the logger stopped masking emails.
func TestLogsNeverCarryTheLetterOrAnAddress(t *testing.T) {
	f := mustFixture(t)
	var logs bytes.Buffer
	f.worker.Log = logging.New(&logs)
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	f.mustReferral(t, jane, "Fran Fields", "fran@friends.example")
	reward := f.mustPay(t, "INV-1", "fran@friends.example", "987.65").Conversion.Reward
	f.server.Refuse(mailtest.AtRcpt, "550 5.1.1 <jane@patients.example>: Recipient address rejected")
	f.run(t)
	f.server.Recover()
	f.mustAdvocate(t, "Kim Kerr", "kim@patients.example")
	f.run(t)

	out := logs.String()
	if strings.Count(out, `"msg":"mail"`) != 4 || !strings.Contains(out, "j***@patients.example") ||
		!strings.Contains(out, f.only(t, referral.RewardEarned).ID) || !strings.Contains(out, "550 5.1.1") {
		t.Errorf("want a line per attempt with the message id, masked recipient and the server's answer:\n%s", out)
	}
	for _, never := range []string{"jane@", "fran@", "kim@", "Fran", reward.Code, jane.Code, "Hi Jane", "a friend you invited", "987.65"} { // not "987": it may be in a timestamp
		if strings.Contains(out, never) {
			t.Errorf("the log holds %q:\n%s", never, out)
		}
	}
}
