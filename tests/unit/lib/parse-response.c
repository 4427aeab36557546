/* parse-response: the decoder tests' way to get a response from text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "parse-response.h"

static struct imap_parser *parser;

const struct imap_response *
test_parse_response(const char *text)
{
	const struct imap_response *r = NULL;
	const char *err = NULL;
	size_t used;

	imap_parser_free(&parser);
	parser = imap_parser_new(NULL);
	if (imap_parser_parse(parser, (const unsigned char *)text,
		strlen(text), &used, &r, &err) != IMAP_PARSE_DONE)
		fail_msg("does not parse: %s (%s)", text,
		    err != NULL ? err : "incomplete");
	return r;
}

int
test_parse_cleanup(void **state)
{
	(void)state;
	imap_parser_free(&parser);
	return 0;
}
