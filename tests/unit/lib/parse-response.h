/* parse-response: the decoder tests' way to get a response from text. */
#ifndef IMAPWB_TEST_PARSE_RESPONSE_H
#define IMAPWB_TEST_PARSE_RESPONSE_H

#include "imap-parser.h"

/* Parse one whole response (the test fails if it does not parse). It
 * stays valid until the next call or test_parse_cleanup(). */
const struct imap_response *test_parse_response(const char *text);

/* A cmocka group teardown that frees the parser. */
int test_parse_cleanup(void **state);

#endif
