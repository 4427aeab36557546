/* model: everything the views show about one session, fed by every
 * response and every completed command, whoever sent it. A SELECT typed
 * in the raw console updates the selected mailbox exactly as a view's
 * own SELECT does, because both only ever reach the model as responses.
 *
 * The client owns one model and feeds it before the front end hears the
 * same event (client.h), so a front end's listener always sees the model
 * already updated. The model does no I/O and sends nothing. */
#ifndef IMAPWB_MODEL_H
#define IMAPWB_MODEL_H

#include <stdint.h>

#include "decode-response.h"
#include "imap-session.h"
#include "model-acl.h"
#include "model-mailboxes.h"
#include "model-quota.h"
#include "model-selected.h"

/* What changed, for on_model_change. */
#define MODEL_CHANGED_MAILBOXES 0x01
#define MODEL_CHANGED_SELECTED  0x02 /* the state or the index */
#define MODEL_CHANGED_ACL       0x04
#define MODEL_CHANGED_QUOTA     0x08
#define MODEL_CHANGED_SESSION   0x10 /* state, capabilities, connection */

typedef void model_listener_t(void *ctx, unsigned changed);

struct model;

/* max_messages 0: the index's default cap. */
struct model *model_new(uint32_t max_messages);
void model_free(struct model **model);
void model_set_listener(struct model *model, model_listener_t *listener,
    void *ctx);

/* Feed a decoded response; its owner (the command it answers, routed by
 * the session) tells which LIST or SELECT untagged data belongs to. */
void model_response(struct model *model, const struct decoded_response *resp);
/* A command ended (tagged is NULL when it FAILED). */
void model_completed(struct model *model,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct decoded_response *tagged);
/* The connection ended: nothing is selected any more. */
void model_disconnected(struct model *model);
/* The raw name of the mailbox the user (not a job) had selected, or was
 * selecting, when the connection was lost, and whether with EXAMINE;
 * NULL when none. Valid until the model is freed. */
const char *model_lost_mailbox(const struct model *model, bool *examine_r);
/* The session's state or capabilities changed. */
void model_session_changed(struct model *model);

struct model_mailboxes *model_mailboxes(struct model *model);
struct model_selected *model_selected(struct model *model);
struct model_acl *model_acl(struct model *model);
struct model_quota *model_quota(struct model *model);

#endif
