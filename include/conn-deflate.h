/* conn-deflate: COMPRESS=DEFLATE (RFC 4978), raw deflate both ways. */
#ifndef IMAPWB_CONN_DEFLATE_H
#define IMAPWB_CONN_DEFLATE_H

#include <stddef.h>

#include "conn.h"

/* Push the layer. RFC 4978 3: compression starts right after the CRLF of
 * the tagged OK, so bytes the caller has already read past that line are
 * compressed data: pass them as initial (NULL, 0 when there are none).
 * Returns 0, or -1 with *error_r (in conn->error).
 *
 * Reads inflate at most the caller's length at a time, from a fixed input
 * buffer, so memory stays bounded whatever the server's compression ratio;
 * conn_pending() is nonzero while more may come out without socket I/O.
 * Writes are compressed as they come; flush() ends them with Z_SYNC_FLUSH
 * so the server can decode everything sent so far. */
int conn_deflate_push(struct conn *conn, const void *initial,
    size_t initial_len, const char **error_r);

#endif
