/* model: routes decoded responses and completed commands to the mailbox
 * tree, the selected mailbox, the ACL and the quota models.
 *
 * Untagged replies name no command; the session routes each to the
 * command in flight that draws such data (imap-command-table.h), and the
 * model reads that owner to know which LIST or SELECT they answer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	const struct imap_session_command *list_cmd, *lsub_cmd;
	uint64_t list_serial, lsub_serial;
	bool list_with_subscribed;
	/* The SELECT or EXAMINE whose data is arriving. */
	const struct imap_session_command *opening_cmd;
	/* The mailbox the user had open when the connection was lost, for a
	 * reconnect to open again (NULL: none). */
	char *lost_mailbox;
	bool lost_examine;
	bool logged_out; /* a LOGOUT ended: the end was asked for */
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
	free(m->lost_mailbox);
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

/* The command a reply answers if its table row has the flag, else NULL. */
static const struct imap_session_command *
owner_with(const struct imap_session_command *owner, unsigned flag)
{
	const struct imap_command_entry *e;

	if (owner == NULL || (e = imap_session_command_entry(owner)) == NULL)
		return NULL;
	return (e->flags & flag) ? owner : NULL;
}

static void
on_list(struct model *m, const struct decoded_response *d)
{
	const struct list_response *l = &d->u.list;
	const struct imap_session_command *sc =
	    owner_with(d->owner, IMAP_CMDF_LISTING);

	if (l->lsub && (sc != m->lsub_cmd || sc == NULL)) {
		m->lsub_cmd = sc;
		m->lsub_serial++;
	} else if (!l->lsub && (sc != m->list_cmd || sc == NULL)) {
		m->list_cmd = sc;
		m->list_serial++;
		m->list_with_subscribed = sc != NULL &&
		    command_asks_subscribed(m, imap_session_command_get(sc));
	}
	model_mailboxes_list(m->mailboxes, l,
	    l->lsub ? m->lsub_serial : m->list_serial,
	    !l->lsub && m->list_with_subscribed);
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

static void
on_status(struct model *m, const struct decoded_response *d)
{
	model_mailboxes_status(m->mailboxes, &d->u.status);
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

static void
start_opening(struct model *m, const struct imap_session_command *sc)
{
	const char *name = imap_session_command_mailbox(sc);

	model_selected_opening(m->selected, name,
	    (imap_session_command_entry(sc)->flags & IMAP_CMDF_READ_ONLY) != 0);
	m->selected->opened_by = imap_session_command_origin(sc)->kind;
	m->changes |= MODEL_CHANGED_SELECTED;
}

/* Mailbox data answering a SELECT or EXAMINE belongs to the mailbox it
 * opens: the first such reply switches the model over, so a FETCH or
 * EXPUNGE pipelined before the SELECT still lands on the old one. */
static void
follow_selection(struct model *m, const struct decoded_response *d)
{
	const struct imap_session_command *sc =
	    owner_with(d->owner, IMAP_CMDF_SELECTS);

	if (sc == NULL || sc == m->opening_cmd)
		return;
	m->opening_cmd = sc;
	start_opening(m, sc);
}

static void
on_count(struct model *m, const struct decoded_response *d)
{
	const struct message_count *mc = &d->u.count;

	if (mc->kind != MESSAGE_COUNT_EXPUNGE)
		follow_selection(m, d);
	if (mc->kind == MESSAGE_COUNT_EXISTS)
		model_selected_exists(m->selected, mc->n);
	else if (mc->kind == MESSAGE_COUNT_RECENT)
		model_selected_recent(m->selected, mc->n);
	else
		model_selected_expunge(m->selected, mc->n);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_flags(struct model *m, const struct decoded_response *d)
{
	follow_selection(m, d);
	model_selected_flags(m->selected, &d->u.flags);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_vanished(struct model *m, const struct decoded_response *d)
{
	model_selected_vanished(m->selected, &d->u.vanished);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_fetch(struct model *m, const struct decoded_response *d)
{
	model_selected_fetch(m->selected, &d->u.fetch.f);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
on_acl(struct model *m, const struct decoded_response *d)
{
	model_acl_set(m->acl, &d->u.acl);
	m->changes |= MODEL_CHANGED_ACL;
}

static void
on_myrights(struct model *m, const struct decoded_response *d)
{
	model_acl_set_myrights(m->acl, &d->u.myrights);
	m->changes |= MODEL_CHANGED_ACL;
}

static void
on_listrights(struct model *m, const struct decoded_response *d)
{
	model_acl_set_listrights(m->acl, &d->u.listrights);
	m->changes |= MODEL_CHANGED_ACL;
}

static void
on_quota(struct model *m, const struct decoded_response *d)
{
	model_quota_set(m->quota, &d->u.quota);
	m->changes |= MODEL_CHANGED_QUOTA;
}

static void
on_quotaroot(struct model *m, const struct decoded_response *d)
{
	model_quota_set_roots(m->quota, &d->u.quotaroot);
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
on_untagged_code(struct model *m, const struct decoded_response *d)
{
	if (!d->has_code || !is_selection_code(d->code.kind))
		return;
	follow_selection(m, d);
	model_selected_code(m->selected, &d->code);
	m->changes |= MODEL_CHANGED_SELECTED;
}

/* What each kind of decoded data feeds. */
static void (*const feeds[DECODED_KIND_COUNT])(struct model *m,
    const struct decoded_response *d) = {
	[DECODED_LIST] = on_list,
	[DECODED_STATUS] = on_status,
	[DECODED_FLAGS] = on_flags,
	[DECODED_COUNT] = on_count,
	[DECODED_VANISHED] = on_vanished,
	[DECODED_FETCH] = on_fetch,
	[DECODED_ACL] = on_acl,
	[DECODED_MYRIGHTS] = on_myrights,
	[DECODED_LISTRIGHTS] = on_listrights,
	[DECODED_QUOTA] = on_quota,
	[DECODED_QUOTAROOT] = on_quotaroot,
};

void
model_response(struct model *m, const struct decoded_response *d)
{
	if (d->raw->kind != IMAP_RESPONSE_UNTAGGED)
		return; /* tagged replies: model_completed */
	if (d->raw->status != IMAP_STATUS_NONE)
		on_untagged_code(m, d);
	else if (d->error != NULL)
		log_debug("model: %s", d->error);
	else if (feeds[d->kind] != NULL)
		feeds[d->kind](m, d);
	tell(m);
}

/* --- completed commands -------------------------------------------------- */

static void
selection_done(struct model *m, const struct imap_session_command *sc,
    bool ok, const struct decoded_response *tagged)
{
	bool read_only = false;

	/* a SELECT that got no untagged data at all still opened */
	if (sc != m->opening_cmd)
		start_opening(m, sc);
	m->opening_cmd = NULL;
	if (ok && tagged != NULL && tagged->has_code) {
		read_only = tagged->code.kind == RESP_CODE_READ_ONLY;
		model_selected_code(m->selected, &tagged->code);
	}
	model_selected_opened(m->selected, ok, read_only);
	m->changes |= MODEL_CHANGED_SELECTED;
}

static void
list_done(struct model *m, const struct imap_session_command *sc, bool ok,
    bool lsub)
{
	const struct imap_session_command **current =
	    lsub ? &m->lsub_cmd : &m->list_cmd;
	uint64_t *serial = lsub ? &m->lsub_serial : &m->list_serial;

	/* a listing that named nothing still says there is nothing */
	if (*current != sc)
		(*serial)++;
	*current = NULL;
	if (ok && command_lists_everything(m, imap_session_command_get(sc))) {
		model_mailboxes_prune(m->mailboxes, *serial, lsub);
		m->changes |= MODEL_CHANGED_MAILBOXES;
	}
}

/* CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE ended OK. */
static void
mailbox_command_done(struct model *m, const struct imap_session_command *sc)
{
	const struct imap_command *cmd = imap_session_command_get(sc);
	const char *name = imap_session_command_mailbox(sc);
	char *to;

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
	m->changes |= MODEL_CHANGED_MAILBOXES;
}

void
model_completed(struct model *m, const struct imap_session_command *sc,
    enum imap_command_result result, const struct decoded_response *tagged)
{
	const struct imap_command_entry *e = imap_session_command_entry(sc);
	unsigned flags = e != NULL ? e->flags : 0;
	bool ok = result == IMAP_RESULT_OK;

	if (flags & IMAP_CMDF_LOGOUT)
		m->logged_out = true;
	if (flags & IMAP_CMDF_SELECTS)
		selection_done(m, sc, ok, tagged);
	else if (flags & IMAP_CMDF_LISTING)
		list_done(m, sc, ok, strcmp(e->name, "LSUB") == 0);
	else if (ok && (flags & IMAP_CMDF_TREE))
		mailbox_command_done(m, sc);
	else if (ok && (flags & IMAP_CMDF_LEAVES)) {
		/* a SELECT still opening is cut off too: its tagged OK, if
		 * it comes after this, opens its mailbox afresh */
		m->opening_cmd = NULL;
		model_selected_closed(m->selected);
		m->changes |= MODEL_CHANGED_SELECTED;
	}
	tell(m);
}

void
model_disconnected(struct model *m)
{
	const struct model_selected *sel = m->selected;

	/* a job's EXAMINE is the job's business, not the user's; after a
	 * LOGOUT the end was wanted */
	if (!m->logged_out && sel->state != MODEL_SELECTED_NONE &&
	    sel->mailbox != NULL && sel->opened_by != IMAP_ORIGIN_JOB) {
		free(m->lost_mailbox);
		m->lost_mailbox = xstrdup(sel->mailbox);
		m->lost_examine = sel->examine;
	}
	m->opening_cmd = m->list_cmd = m->lsub_cmd = NULL;
	model_selected_closed(m->selected);
	m->changes |= MODEL_CHANGED_SELECTED | MODEL_CHANGED_SESSION;
	tell(m);
}

const char *
model_lost_mailbox(const struct model *m, bool *examine_r)
{
	*examine_r = m->lost_examine;
	return m->lost_mailbox;
}

void
model_session_changed(struct model *m)
{
	m->changes |= MODEL_CHANGED_SESSION;
	tell(m);
}
