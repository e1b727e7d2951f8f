// Package mail sends the practices' email: it writes each outbox message in the practice's
// name and colours (Compose), hands it to the SMTP server named by ADVOCATELOOP_SMTP_URL, and
// records what came of it (Worker). Without a server, messages stay in the built-in mailbox
// that staff read in the dashboard. Only the worker talks to the mail server, so a slow or
// failing server never slows a request.
package mail
