/* model: routes decoded responses and completed commands to the mailbox
 * tree, the selected mailbox, the ACL and the quota models.
 *
 * Untagged replies name no command, so the model asks the session which
 * command in flight they answer (the oldest LIST for a LIST reply, the
 * oldest SELECT or EXAMINE for mailbox data), as RFC 9051 5.5 makes
 * servers answer in order for these. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-acl.h"
#include "decode-code.h"
#include "decode-fetch.h"
#include "decode-mailbox.h"
#include "decode-quota.h"
#include "model.h"
#include "util-log.h"
#include "util-mem.h"

struct model {
	struct model_mailboxes *mailboxes;
	struct model_selected *selected;
	struct model_acl *acl;
	struct model_quota *quota;
	struct imap_parser *scratch; /* for codes and command arguments */

	model_listener_t *listener;
	void *ctx;
	unsigned changes; /* MODEL_CHANGED_* not told yet */

	/* The LIST and LSUB whose replies are arriving, and their serials
	 * (model_mailboxes_prune). */
	const struct imap_command *list_cmd, *lsub_cmd;
	uint64_t list_serial, lsub_serial;
	bool list_with_subscribed;
	/* The SELECT or EXAMINE whose data is arriving. */
	const struct imap_command *opening_cmd;
};

struct model *
model_new(uint32_t max_messages)
{
	struct model *m = xcalloc(1, sizeof(*m));

	m->mailboxes = model_mailboxes_new();
	m->selected = model_selected_new(max_messages);
	m->acl = model_acl_new();
	m->quota = model_quota_new();
	m->scratch = imap_parser_new(NULL);
	return m;
}

void
model_free(struct model **mp)
{
	struct model *m = *mp;

	if (m == NULL)
		return;
	model_mailboxes_free(&m->mailboxes);
	model_selected_free(&m->selected);
	model_acl_free(&m->acl);
	model_quota_free(&m->quota);
	imap_parser_free(&m->scratch);
	free(m);
	*mp = NULL;
}

void
model_set_listener(struct model *m, model_listener_t *listener, void *ctx)
{
	m->listener = listener;
	m->ctx = ctx;
}

struct model_mailboxes *
model_mailboxes(struct model *m)
{
	return m->mailboxes;
}

struct model_selected *
model_selected(struct model *m)
{
	return m->selected;
}

struct model_acl *
model_acl(struct model *m)
{
	return m->acl;
}

struct model_quota *
model_quota(struct model *m)
{
	return m->quota;
}

/* The selected mailbox's row in the tree follows what the mailbox says
 * (RFC 9051 6.3.11: STATUS should not be asked of it): EXISTS is its
 * MESSAGES, and UNSEEN is counted from the index once every message's
 * flags are known. */
static void
selected_counts(struct model *m)
{
	const struct model_selected *sel = m->selected;
	const struct model_mailbox *mb;
	struct status_response st;
	uint32_t unseen;

	if (sel->state != MODEL_SELECTED_OPEN || sel->mailbox == NULL ||
	    (sel->known & MODEL_SEL_EXISTS) == 0)
		return;
	memset(&st, 0, sizeof(st));
	/* RFC 9051 5.1: INBOX in any case is INBOX */
	st.mailbox = strcasecmp(sel->mailbox, "INBOX") == 0 ? "INBOX"
							     : sel->mailbox;
	if ((mb = model_mailboxes_find(m->mailboxes, st.mailbox)) == NULL)
		return;
	st.present = 1u << STATUS_MESSAGES;
	st.values[STATUS_MESSAGES] = sel->exists;
	if (model_index_count(sel->index) == sel->exists &&
	    model_index_unseen(sel->index, &unseen)) {
		st.present |= 1u << STATUS_UNSEEN;
		st.values[STATUS_UNSEEN] = unseen;
	}
	if ((mb->status_present & st.present) == st.present &&
	    mb->status[STATUS_MESSAGES] == st.values[STATUS_MESSAGES] &&
	    ((st.present & (1u << STATUS_UNSEEN)) == 0 ||
		mb->status[STATUS_UNSEEN] == st.values[STATUS_UNSEEN]))
		return;
	model_mailboxes_status(m->mailboxes, &st);
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

static void
tell(struct model *m)
{
	unsigned changes;

	if (m->changes & MODEL_CHANGED_SELECTED)
		selected_counts(m);
	changes = m->changes;
	m->changes = 0;
	if (changes != 0 && m->listener != NULL)
		m->listener(m->ctx, changes);
}

/* --- command arguments --------------------------------------------------- */

/* The astring argument i of a command, copied; NULL if it has none. */
static char *
command_astring(struct model *m, const struct imap_command *cmd, size_t i)
{
	const struct imap_arg *args;
	const char *s;
	size_t count, len;

	if (imap_command_parse_args(cmd, m->scratch, &args, &count) != 0 ||
	    i >= count || !imap_arg_get_astring(&args[i], &s, &len))
		return NULL;
	return xstrndup(s, len);
}

/* LIST "" "*" with no selection options: a listing of every mailbox,
 * so what it does not name is gone. */
static bool
command_lists_everything(struct model *m, const struct imap_command *cmd)
{
	const struct imap_arg *args;
	const char *ref, *pattern;
	size_t count, ref_len, pattern_len;

	return imap_command_parse_args(cmd, m->scratch, &args, &count) == 0 &&
	    count >= 2 && imap_arg_get_astring(&args[0], &ref, &ref_len) &&
	    ref_len == 0 &&
	    imap_arg_get_astring(&args[1], &pattern, &pattern_len) &&
	    pattern_len == 1 && pattern[0] == '*';
}

/* Does a parenthesised option list hold the atom SUBSCRIBED? */
static bool
options_have_subscribed(const struct imap_arg *arg)
{
	const struct imap_arg *items;
	size_t n, i;

	if (!imap_arg_get_list(arg, &items, &n))
		return false;
	for (i = 0; i < n; i++)
		if (imap_arg_atom_equals(&items[i], "SUBSCRIBED"))
			return true;
	return false;
}

/* RETURN (SUBSCRIBED) or a SUBSCRIBED selection (RFC 5258 3): the reply
 * tells the subscription of every mailbox it names. Read from the parsed
 * options, not the line's text: a pattern such as "Unsubscribed*" must
 * not count (it did, through strcasestr, and a plain LIST then cleared
 * the subscription of every mailbox it named). */
static bool
command_asks_subscribed(struct model *m, const struct imap_command *cmd)
{
	const struct imap_arg *args;
	size_t count, i;

	if (imap_command_parse_args(cmd, m->scratch, &args, &count) != 0 ||
	    count < 2)
		return false;
	if (options_have_subscribed(&args[0]))
		return true;
	for (i = 2; i + 1 < count; i++)
		if (imap_arg_atom_equals(&args[i], "RETURN"))
			return options_have_subscribed(&args[i + 1]);
	return false;
}

/* --- untagged replies ---------------------------------------------------- */

static const char *const list_names[] = { "LIST", NULL };
static const char *const lsub_names[] = { "LSUB", NULL };
static const char *const select_names[] = { "SELECT", "EXAMINE", NULL };

static void
on_list(struct model *m, const struct imap_response *r,
    const struct imap_session *s)
{
	struct list_response l;
	const struct imap_command *cmd;
	const char *error;

	if (!decode_list(r, &l, &error)) {
		log_debug("model: %s", error);
		return;
	}
	cmd = imap_session_find_in_flight(s, l.lsub ? lsub_names : list_names);
	if (l.lsub && (cmd != m->lsub_cmd || cmd == NULL)) {
		m->lsub_cmd = cmd;
		m->lsub_serial++;
	} else if (!l.lsub && (cmd != m->list_cmd || cmd == NULL)) {
		m->list_cmd = cmd;
		m->list_serial++;
		m->list_with_subscribed = cmd != NULL &&
		    command_asks_subscribed(m, cmd);
	}
	model_mailboxes_list(m->mailboxes, &l,
	    l.lsub ? m->lsub_serial : m->list_serial,
	    !l.lsub && m->list_with_subscribed);
	list_response_free(&l);
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

static void
on_status(struct model *m, const struct imap_response *r)
{
	struct status_response st;
	const char *error;

	if (!decode_status(r, &st, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_mailboxes_status(m->mailboxes, &st);
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

/* Mailbox data while a SELECT or EXAMINE is in flight belongs to the
 * mailbox it opens: the first such reply switches the model over. */
static void
follow_selection(struct model *m, const struct imap_session *s)
{
	const struct imap_command *cmd =
	    imap_session_find_in_flight(s, select_names);
	char *name;

	if (cmd == NULL || cmd == m->opening_cmd)
		return;
	m->opening_cmd = cmd;
	name = command_astring(m, cmd, 0);
	model_selected_opening(m->selected, name,
	    strcmp(cmd->name, "EXAMINE") == 0);
	free(name);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_message_count(struct model *m, const struct imap_response *r,
    const struct imap_session *s)
{
	struct message_count mc;
	const char *error;

	if (!decode_message_count(r, &mc, &error)) {
		log_debug("model: %s", error);
		return;
	}
	if (mc.kind != MESSAGE_COUNT_EXPUNGE)
		follow_selection(m, s);
	if (mc.kind == MESSAGE_COUNT_EXISTS)
		model_selected_exists(m->selected, mc.n);
	else if (mc.kind == MESSAGE_COUNT_RECENT)
		model_selected_recent(m->selected, mc.n);
	else
		model_selected_expunge(m->selected, mc.n);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_flags(struct model *m, const struct imap_response *r,
    const struct imap_session *s)
{
	struct atom_list flags;
	const char *error;

	if (!decode_flags(r, &flags, &error)) {
		log_debug("model: %s", error);
		return;
	}
	follow_selection(m, s);
	model_selected_flags(m->selected, &flags);
	atom_list_free(&flags);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_vanished(struct model *m, const struct imap_response *r)
{
	struct vanished v;
	const char *error;

	if (!decode_vanished(r, &v, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_selected_vanished(m->selected, &v);
	vanished_free(&v);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_fetch(struct model *m, const struct imap_response *r)
{
	struct fetch_response f;
	const char *error;

	if (!decode_fetch(r, &f, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_selected_fetch(m->selected, &f);
	fetch_response_free(&f);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_acl(struct model *m, const struct imap_response *r)
{
	struct acl_response acl;
	const char *error;

	if (!decode_acl(r, &acl, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_acl_set(m->acl, &acl);
	acl_response_free(&acl);
	m->changes |= MODEL_CHANGED_ACL;
}

static void
on_myrights(struct model *m, const struct imap_response *r)
{
	struct acl_myrights mr;
	const char *error;

	if (!decode_myrights(r, &mr, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_acl_set_myrights(m->acl, &mr);
	m->changes |= MODEL_CHANGED_ACL;
}

static void
on_listrights(struct model *m, const struct imap_response *r)
{
	struct acl_listrights lr;
	const char *error;

	if (!decode_listrights(r, &lr, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_acl_set_listrights(m->acl, &lr);
	acl_listrights_free(&lr);
	m->changes |= MODEL_CHANGED_ACL;
}

static void
on_quota(struct model *m, const struct imap_response *r)
{
	struct quota_response q;
	const char *error;

	if (!decode_quota(r, &q, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_quota_set(m->quota, &q);
	quota_response_free(&q);
	m->changes |= MODEL_CHANGED_QUOTA;
}

static void
on_quotaroot(struct model *m, const struct imap_response *r)
{
	struct quota_roots qr;
	const char *error;

	if (!decode_quotaroot(r, &qr, &error)) {
		log_debug("model: %s", error);
		return;
	}
	model_quota_set_roots(m->quota, &qr);
	quota_roots_free(&qr);
	m->changes |= MODEL_CHANGED_QUOTA;
}

/* Codes that describe the mailbox being opened or open. */
static bool
is_selection_code(enum response_code_kind kind)
{
	switch (kind) {
	case RESP_CODE_UIDVALIDITY:
	case RESP_CODE_UIDNEXT:
	case RESP_CODE_UNSEEN:
	case RESP_CODE_PERMANENTFLAGS:
	case RESP_CODE_HIGHESTMODSEQ:
	case RESP_CODE_NOMODSEQ:
	case RESP_CODE_CLOSED:
		return true;
	default:
		return false;
	}
}

static void
on_untagged_code(struct model *m, const struct imap_response *r,
    const struct imap_session *s)
{
	struct response_code code;
	const char *error;

	if (!decode_code(r, m->scratch, &code, &error)) {
		log_debug("model: %s", error);
		return;
	}
	if (is_selection_code(code.kind)) {
		follow_selection(m, s);
		model_selected_code(m->selected, &code);
		m->changes |= MODEL_CHANGED_SELECTED;
	}
	response_code_free(&code);
}

static const struct {
	const char *name; /* the first atom, or the second after a number */
	void (*feed)(struct model *m, const struct imap_response *r);
	void (*feed_s)(struct model *m, const struct imap_response *r,
	    const struct imap_session *s);
} untagged_feeds[] = {
	{ "LIST", NULL, on_list },
	{ "LSUB", NULL, on_list },
	{ "STATUS", on_status, NULL },
	{ "FLAGS", NULL, on_flags },
	{ "EXISTS", NULL, on_message_count },
	{ "RECENT", NULL, on_message_count },
	{ "EXPUNGE", NULL, on_message_count },
	{ "VANISHED", on_vanished, NULL },
	{ "FETCH", on_fetch, NULL },
	{ "ACL", on_acl, NULL },
	{ "MYRIGHTS", on_myrights, NULL },
	{ "LISTRIGHTS", on_listrights, NULL },
	{ "QUOTA", on_quota, NULL },
	{ "QUOTAROOT", on_quotaroot, NULL },
};

void
model_response(struct model *m, const struct imap_response *r,
    const struct imap_session *s)
{
	const struct imap_arg *name_arg;
	size_t i;

	if (r->kind != IMAP_RESPONSE_UNTAGGED)
		return; /* tagged replies: model_completed */
	if (r->status != IMAP_STATUS_NONE) {
		if (r->code != NULL)
			on_untagged_code(m, r, s);
		tell(m);
		return;
	}
	if (r->count == 0)
		return;
	name_arg = r->args[0].type == IMAP_ARG_NUMBER && r->count > 1
	    ? &r->args[1]
	    : &r->args[0];
	for (i = 0; i < sizeof(untagged_feeds) / sizeof(untagged_feeds[0]);
	     i++)
		if (imap_arg_atom_equals(name_arg, untagged_feeds[i].name)) {
			if (untagged_feeds[i].feed_s != NULL)
				untagged_feeds[i].feed_s(m, r, s);
			else
				untagged_feeds[i].feed(m, r);
			break;
		}
	tell(m);
}

/* --- completed commands -------------------------------------------------- */

static bool
tagged_read_only(struct model *m, const struct imap_response *tagged)
{
	struct response_code code;
	const char *error;
	bool read_only = false;

	if (tagged == NULL || tagged->code == NULL ||
	    !decode_code(tagged, m->scratch, &code, &error))
		return false;
	read_only = code.kind == RESP_CODE_READ_ONLY;
	model_selected_code(m->selected, &code);
	response_code_free(&code);
	return read_only;
}

static void
selection_done(struct model *m, const struct imap_command *cmd, bool ok,
    const struct imap_response *tagged)
{
	char *name;

	/* a SELECT that got no untagged data at all still opened */
	if (cmd != m->opening_cmd) {
		name = command_astring(m, cmd, 0);
		model_selected_opening(m->selected, name,
		    strcmp(cmd->name, "EXAMINE") == 0);
		free(name);
	}
	m->opening_cmd = NULL;
	model_selected_opened(m->selected, ok, ok && tagged_read_only(m, tagged));
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
list_done(struct model *m, const struct imap_command *cmd, bool ok, bool lsub)
{
	const struct imap_command **current = lsub ? &m->lsub_cmd : &m->list_cmd;
	uint64_t *serial = lsub ? &m->lsub_serial : &m->list_serial;

	/* a listing that named nothing still says there is nothing */
	if (*current != cmd)
		(*serial)++;
	*current = NULL;
	if (ok && command_lists_everything(m, cmd)) {
		model_mailboxes_prune(m->mailboxes, *serial, lsub);
		m->changes |= MODEL_CHANGED_MAILBOXES;
	}
}

/* CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE ended OK. */
static void
mailbox_command_done(struct model *m, const struct imap_command *cmd)
{
	char *name = command_astring(m, cmd, 0), *to;

	if (name == NULL)
		return;
	if (strcmp(cmd->name, "CREATE") == 0)
		model_mailboxes_created(m->mailboxes, name);
	else if (strcmp(cmd->name, "DELETE") == 0)
		model_mailboxes_deleted(m->mailboxes, name);
	else if (strcmp(cmd->name, "SUBSCRIBE") == 0 ||
	    strcmp(cmd->name, "UNSUBSCRIBE") == 0)
		model_mailboxes_subscribed(m->mailboxes, name,
		    cmd->name[0] == 'S');
	else if (strcmp(cmd->name, "RENAME") == 0 &&
	    (to = command_astring(m, cmd, 1)) != NULL) {
		model_mailboxes_renamed(m->mailboxes, name, to);
		free(to);
	}
	free(name);
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

static bool
name_in(const char *name, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

void
model_completed(struct model *m, const struct imap_session_command *sc,
    enum imap_command_result result, const struct imap_response *tagged)
{
	static const char *const tree_changers[] = { "CREATE", "DELETE",
		"RENAME", "SUBSCRIBE", "UNSUBSCRIBE", NULL };
	static const char *const closers[] = { "CLOSE", "UNSELECT", NULL };
	const struct imap_command *cmd = imap_session_command_get(sc);
	bool ok = result == IMAP_RESULT_OK;

	if (name_in(cmd->name, select_names))
		selection_done(m, cmd, ok, tagged);
	else if (strcmp(cmd->name, "LIST") == 0)
		list_done(m, cmd, ok, false);
	else if (strcmp(cmd->name, "LSUB") == 0)
		list_done(m, cmd, ok, true);
	else if (ok && name_in(cmd->name, tree_changers))
		mailbox_command_done(m, cmd);
	else if (ok && name_in(cmd->name, closers)) {
		model_selected_closed(m->selected);
		m->changes |= MODEL_CHANGED_SELECTED;
	}
	tell(m);
}

void
model_disconnected(struct model *m)
{
	m->opening_cmd = m->list_cmd = m->lsub_cmd = NULL;
	model_selected_closed(m->selected);
	m->changes |= MODEL_CHANGED_SELECTED | MODEL_CHANGED_SESSION;
	tell(m);
}

void
model_session_changed(struct model *m)
{
	m->changes |= MODEL_CHANGED_SESSION;
	tell(m);
}
