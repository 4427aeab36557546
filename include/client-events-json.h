/* client-events-json: decoded responses as JSON lines for scripts (--json).
 * Every event is documented in doc/json-events.md; keys that were not
 * fetched are left out, and strings are decoded UTF-8. */
#ifndef IMAPWB_CLIENT_EVENTS_JSON_H
#define IMAPWB_CLIENT_EVENTS_JSON_H

#include <stdio.h>

#include "decode-response.h"
#include "imap-session.h"

/* Write the events one decoded response gives (none for most), one line
 * each. Its owner, the command it answers, gives each event "tag" and
 * "origin" (null when the server spoke unasked), and tells whether a
 * SEARCH answers a UID command. */
void events_json_response(FILE *out, const struct decoded_response *resp);

/* The "tagged" event for a completed command. */
void events_json_tagged(FILE *out, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double latency_ms);

/* The "select" event: the mailbox a SELECT or EXAMINE opened, as the
 * model holds it when the command ended OK. */
struct model_selected;
void events_json_select(FILE *out, const struct model_selected *sel);

#endif
