/* conn-sasl: the SASL security layer (RFC 4422 3.7) as a conn layer.
 *
 * When a mechanism negotiates integrity or confidentiality (SSF > 0, as
 * DIGEST-MD5 or GSSAPI can), every byte after the authentication exchange
 * goes through sasl_encode()/sasl_decode(). Cyrus SASL does the 4-byte
 * length framing itself: sasl_decode() takes the stream in any pieces and
 * returns whatever whole frames they complete. */
#ifndef IMAPWB_CONN_SASL_H
#define IMAPWB_CONN_SASL_H

#include <stddef.h>

#include <sasl/sasl.h>

#include "conn.h"

/* Push the layer over the connection's current top. It takes over the
 * SASL connection (sasl_dispose() on destroy) once this returns 0; on -1
 * (with *error_r in conn->error) the caller keeps it. Bytes already read
 * past the tagged OK that ended AUTHENTICATE are encoded: pass them as
 * initial (NULL, 0 for none). */
int conn_sasl_push(struct conn *conn, sasl_conn_t *sasl,
    const void *initial, size_t initial_len, const char **error_r);

#endif
