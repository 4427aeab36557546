/* tui-link: a response's link to a view row. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decode-response.h"
#include "tui-link.h"

bool
tui_link_named(struct tui_link *l, enum tui_link_kind kind, const char *name)
{
	if (name == NULL || strlen(name) > TUI_LINK_NAME_MAX)
		return false;
	l->kind = kind;
	snprintf(l->name, sizeof(l->name), "%s", name);
	return true;
}

/* A SELECT's data: the counts, the flags and the codes that describe the
 * mailbox (RFC 9051 7.1, 7.3.5, 7.4). */
static bool
about_selection(const struct decoded_response *d)
{
	if (d->kind == DECODED_COUNT || d->kind == DECODED_FLAGS ||
	    d->kind == DECODED_VANISHED)
		return true;
	if (!d->has_code)
		return false;
	switch (d->code.kind) {
	case RESP_CODE_UIDNEXT:
	case RESP_CODE_UIDVALIDITY:
	case RESP_CODE_UNSEEN:
	case RESP_CODE_PERMANENTFLAGS:
	case RESP_CODE_HIGHESTMODSEQ:
	case RESP_CODE_NOMODSEQ:
	case RESP_CODE_READ_ONLY:
	case RESP_CODE_READ_WRITE:
	case RESP_CODE_CLOSED:
		return true;
	default:
		return false;
	}
}

bool
tui_link_from_response(const struct decoded_response *d,
    struct tui_link *l)
{
	memset(l, 0, sizeof(*l));
	switch (d->kind) {
	case DECODED_LIST:
		return tui_link_named(l, TUI_LINK_MAILBOX, d->u.list.name);
	case DECODED_STATUS:
		return tui_link_named(l, TUI_LINK_MAILBOX, d->u.status.mailbox);
	case DECODED_FETCH:
		l->kind = TUI_LINK_MESSAGE;
		l->seq = d->u.fetch.f.seq;
		l->uid = (d->u.fetch.f.present & FETCH_UID) ? d->u.fetch.f.uid
							    : 0;
		return true;
	case DECODED_ACL:
		return tui_link_named(l, TUI_LINK_ACL, d->u.acl.mailbox);
	case DECODED_MYRIGHTS:
		return tui_link_named(l, TUI_LINK_ACL, d->u.myrights.mailbox);
	case DECODED_LISTRIGHTS:
		return tui_link_named(l, TUI_LINK_ACL, d->u.listrights.mailbox);
	case DECODED_QUOTAROOT:
		return tui_link_named(l, TUI_LINK_QUOTAROOT,
		    d->u.quotaroot.mailbox);
	case DECODED_QUOTA:
		return tui_link_named(l, TUI_LINK_QUOTA, d->u.quota.root);
	case DECODED_CAPABILITY:
		l->kind = TUI_LINK_CAPABILITIES;
		return true;
	default:
		if (!about_selection(d))
			return false;
		l->kind = TUI_LINK_SELECTED;
		return true;
	}
}

const char *
tui_link_view_name(const struct tui_link *link)
{
	static const char *const names[] = {
		[TUI_LINK_NONE] = NULL,
		[TUI_LINK_MAILBOX] = "Mailboxes",
		[TUI_LINK_MESSAGE] = "Messages",
		[TUI_LINK_SELECTED] = "Status",
		[TUI_LINK_ACL] = "ACL",
		[TUI_LINK_QUOTAROOT] = "Quota",
		[TUI_LINK_QUOTA] = "Quota",
		[TUI_LINK_CAPABILITIES] = "Capabilities",
	};

	return names[link->kind];
}

bool
tui_link_matches(const struct tui_link *line, const struct tui_link *row)
{
	if (line->kind != row->kind || line->kind == TUI_LINK_NONE)
		return false;
	switch (line->kind) {
	case TUI_LINK_MESSAGE:
		if (line->uid != 0 && row->uid != 0)
			return line->uid == row->uid;
		return line->seq == row->seq;
	case TUI_LINK_MAILBOX:
	case TUI_LINK_ACL:
	case TUI_LINK_QUOTAROOT:
	case TUI_LINK_QUOTA:
		return strcmp(line->name, row->name) == 0;
	default:
		return true;
	}
}
