/* client-live: IDLE, or NOOP polls, while the user does nothing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client-live.h"
#include "util-log.h"
#include "util-mem.h"

struct live {
	struct imap_session *session;
	bool busy;
	bool activity;        /* a command ended since the last run */
	uint64_t quiet_since; /* when the session last became quiet */
	uint64_t now;         /* the last run's time */

	/* the automatic IDLE in flight, or NULL */
	const struct imap_session_command *idle;
	uint64_t idle_since;
	bool idle_ending;     /* DONE was asked for, to re-issue it */
	bool idle_refused;    /* no IDLE on this session: poll instead */
	unsigned short_idles; /* ended unasked soon after they started */

	/* the NOOP poll in flight, or NULL */
	const struct imap_session_command *noop;
	bool told_news;       /* this IDLE's or poll's note was given */
};

struct live *
live_new(void)
{
	return xcalloc(1, sizeof(struct live));
}

void
live_free(struct live **lp)
{
	free(*lp);
	*lp = NULL;
}

void
live_set_session(struct live *l, struct imap_session *session)
{
	l->session = session;
	l->idle = l->noop = NULL;
	l->idle_ending = l->idle_refused = false;
	l->short_idles = 0;
	l->activity = true;
}

void
live_set_busy(struct live *l, bool busy)
{
	l->busy = busy;
}

static bool
use_idle(const struct live *l)
{
	return !l->idle_refused &&
	    imap_session_has_capability(l->session, "IDLE");
}

static int
ms_left(uint64_t total, uint64_t elapsed)
{
	uint64_t left = elapsed < total ? total - elapsed : 0;

	return left > INT32_MAX ? INT32_MAX : (int)left;
}

static void
start_idle(struct live *l, uint64_t now)
{
	const char *error = NULL;

	l->idle = imap_session_auto_idle(l->session, &error);
	if (l->idle == NULL) {
		/* use_idle() said it could: do not retry every turn */
		log_debug("live: no IDLE: %s", error);
		l->idle_refused = true;
		return;
	}
	l->idle_since = now;
	l->idle_ending = false;
	l->told_news = false;
}

static void
poll_noop(struct live *l)
{
	static const struct imap_origin poll = { IMAP_ORIGIN_AUTO, "poll" };
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	const char *error = NULL;

	imap_session_literal_caps(l->session, &caps);
	cmd = imap_command_build(imap_session_next_tag(l->session), &caps,
	    &error, "NOOP");
	l->noop = cmd == NULL ? NULL
	    : imap_session_submit_from(l->session, cmd, 0, NULL, &poll);
	l->told_news = false;
	if (l->noop == NULL)
		log_debug("live: no NOOP: %s", error);
}

int
live_run(struct live *l, uint64_t now)
{
	struct imap_session *s = l->session;
	uint64_t quiet;

	l->now = now;
	if (s == NULL || imap_session_state(s) != IMAP_STATE_SELECTED) {
		l->activity = false;
		l->quiet_since = now;
		return -1;
	}
	if (l->idle != NULL) {
		if (l->idle_ending)
			return -1;
		if (now - l->idle_since < LIVE_REIDLE_MS)
			return ms_left(LIVE_REIDLE_MS, now - l->idle_since);
		/* RFC 2177: the server may drop a client idle for 30 min */
		imap_session_auto_idle_end(s);
		l->idle_ending = true;
		return -1;
	}
	if (imap_session_in_flight(s) > 0 || l->busy || l->activity) {
		l->quiet_since = now;
		l->activity = false;
		return imap_session_in_flight(s) > 0 || l->busy
		    ? -1
		    : (int)LIVE_QUIET_MS;
	}
	quiet = now - l->quiet_since;
	if (use_idle(l)) {
		if (quiet < LIVE_QUIET_MS)
			return ms_left(LIVE_QUIET_MS, quiet);
		start_idle(l, now);
		return l->idle != NULL ? (int)LIVE_REIDLE_MS : 0;
	}
	if (quiet < LIVE_POLL_MS)
		return ms_left(LIVE_POLL_MS, quiet);
	poll_noop(l);
	return -1;
}

enum live_mode
live_mode(const struct live *l)
{
	if (l->session == NULL ||
	    imap_session_state(l->session) != IMAP_STATE_SELECTED)
		return LIVE_OFF;
	if (l->idle != NULL)
		return LIVE_IDLE;
	if (l->noop != NULL || !use_idle(l))
		return LIVE_POLL;
	return LIVE_WAITING;
}

/* How an automatic IDLE ended decides whether to go on with IDLE. */
static void
idle_ended(struct live *l, enum imap_command_result result)
{
	/* someone's command (queued behind it) or our re-issue ended it */
	bool asked = l->idle_ending || imap_session_in_flight(l->session) > 0;

	if (result == IMAP_RESULT_NO || result == IMAP_RESULT_BAD) {
		log_debug("live: the server refused IDLE; polling with NOOP");
		l->idle_refused = true;
	} else if (result == IMAP_RESULT_OK && !asked &&
	    l->now - l->idle_since < LIVE_SHORT_IDLE_MS) {
		if (++l->short_idles >= LIVE_MAX_SHORT_IDLES) {
			log_debug("live: the server keeps ending IDLE; "
				  "polling with NOOP");
			l->idle_refused = true;
		}
	} else if (asked)
		l->short_idles = 0;
	l->idle = NULL;
	l->idle_ending = false;
}

void
live_completed(struct live *l, const struct imap_session_command *cmd,
    enum imap_command_result result)
{
	l->activity = true;
	if (l->session == NULL)
		return;
	if (cmd == l->idle)
		idle_ended(l, result);
	else if (cmd == l->noop)
		l->noop = NULL;
}

bool
live_owns(const struct live *l, const struct imap_session_command *cmd)
{
	return cmd != NULL && (cmd == l->idle || cmd == l->noop);
}

/* "* OK" without a response code: a server's "still here" during IDLE
 * (Dovecot sends one every 2 minutes), not news. */
static bool
is_keepalive(const char *text, size_t len)
{
	return len >= 5 && memcmp(text, "* OK", 4) == 0 &&
	    (text[4] == ' ' || text[4] == '\r') &&
	    !(len > 5 && text[5] == '[');
}

bool
live_wire(struct live *l, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd, const char **note_r)
{
	const struct imap_session_command *idle;

	*note_r = NULL;
	if (l->session == NULL)
		return false;
	/* the automatic commands' own lines (IDLE, its "+", DONE, a NOOP,
	 * their tagged replies) belong to them: the console folds them by
	 * their origin (auto) */
	if (cmd != NULL)
		return false;
	idle = imap_session_auto_idle_command(l->session);
	if (out || (idle == NULL && l->noop == NULL))
		return false;
	if (idle != NULL && is_keepalive(text, len))
		return true;
	if (!l->told_news) {
		l->told_news = true;
		*note_r = idle != NULL ? "idle: news from the server"
				       : "poll: news from the server";
	}
	return false;
}
