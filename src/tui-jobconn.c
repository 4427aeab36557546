/* tui-jobconn: the TUI's second IMAP connection, for the views' jobs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui-jobconn.h"
#include "util-mem.h"

struct tui_jobconn {
	const struct cli_options *opts;
	struct client_listener listener;
	struct client *client; /* the current one, or NULL */
	bool ended;            /* the loop saw it end */
	struct client **dead;  /* replaced, freed by tui_jobconn_reap() */
	size_t dead_count;
	char error[512];
};

struct tui_jobconn *
tui_jobconn_new(const struct cli_options *opts,
    const struct client_listener *listener)
{
	struct tui_jobconn *jc = xcalloc(1, sizeof(*jc));

	jc->opts = opts;
	jc->listener = *listener;
	return jc;
}

void
tui_jobconn_free(struct tui_jobconn **jcp)
{
	struct tui_jobconn *jc = *jcp;

	if (jc == NULL)
		return;
	if (jc->client != NULL && client_connected(jc->client))
		client_logout(jc->client);
	client_free(&jc->client);
	tui_jobconn_reap(jc);
	free(jc->dead);
	free(jc);
	*jcp = NULL;
}

bool
tui_jobconn_prompts(const struct tui_jobconn *jc)
{
	const struct cli_options *o = jc->opts;

	return !tui_jobconn_ready(jc) && o->password == NULL &&
	    o->password_file == NULL && o->password_cmd == NULL;
}

/* Up and past authentication; a job that ended without UNSELECT (the
 * server has none) leaves it selected, which the next job's SELECT
 * replaces. */
bool
tui_jobconn_ready(const struct tui_jobconn *jc)
{
	enum imap_session_state state;

	if (jc->client == NULL || jc->ended || !client_connected(jc->client))
		return false;
	state = imap_session_state(client_session(jc->client));
	return state == IMAP_STATE_AUTHENTICATED ||
	    state == IMAP_STATE_SELECTED;
}

static void
retire(struct tui_jobconn *jc)
{
	if (jc->client == NULL)
		return;
	jc->dead = xreallocarray(jc->dead, jc->dead_count + 1,
	    sizeof(*jc->dead));
	jc->dead[jc->dead_count++] = jc->client;
	jc->client = NULL;
}

struct imap_session *
tui_jobconn_open(struct tui_jobconn *jc, const char **error_r)
{
	struct client_config config;
	enum exit_status status;
	const char *error = NULL;

	if (tui_jobconn_ready(jc))
		return client_session(jc->client);
	retire(jc);
	jc->ended = false;
	cli_options_client_config(jc->opts, &config);
	jc->client = client_new(&config, &jc->listener);
	client_set_password_reason(jc->client, TUI_JOBCONN_REASON);
	status = client_open(jc->client, &error);
	if (status == EXIT_STATUS_OK)
		status = client_authenticate(jc->client, &error);
	if (status == EXIT_STATUS_OK)
		return client_session(jc->client);
	snprintf(jc->error, sizeof(jc->error), "%s",
	    error != NULL ? error : "the connection failed");
	retire(jc);
	*error_r = jc->error;
	return NULL;
}

struct client *
tui_jobconn_client(struct tui_jobconn *jc)
{
	return jc->ended ? NULL : jc->client;
}

void
tui_jobconn_ended(struct tui_jobconn *jc, struct client *client)
{
	struct imap_session *s;

	if (jc->client == NULL || jc->client != client || jc->ended)
		return;
	jc->ended = true;
	/* A write error leaves the client up with commands in flight: fail
	 * them, so the job waiting on one ends. */
	s = client_session(jc->client);
	if (imap_session_state(s) != IMAP_STATE_LOGOUT)
		imap_session_disconnected(s, "the connection failed");
}

void
tui_jobconn_reap(struct tui_jobconn *jc)
{
	size_t i;

	for (i = 0; i < jc->dead_count; i++)
		client_free(&jc->dead[i]);
	jc->dead_count = 0;
}
