/* Unit tests for capability-info: every capability Dovecot and Cyrus
 * advertise here is explained. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "capability-info.h"

static void
test_lookup(void **state)
{
	const struct capability_info *c;

	c = capability_info_lookup("idle");
	assert_non_null(c);
	assert_string_equal(c->rfc, "RFC 2177");
	c = capability_info_lookup("AUTH=SCRAM-SHA-256");
	assert_string_equal(c->name, "AUTH=*");
	c = capability_info_lookup("STATUS=SIZE");
	assert_string_equal(c->rfc, "RFC 8438");
	c = capability_info_lookup("LITERAL-");
	assert_string_equal(c->rfc, "RFC 7888");
	c = capability_info_lookup("QUOTA=RES-STORAGE");
	assert_string_equal(c->name, "QUOTA=RES-*");
	assert_null(capability_info_lookup("AUTH="));
	assert_null(capability_info_lookup("X-NOT-A-THING"));
}

static void
test_both_servers_are_covered(void **state)
{
	/* CAPABILITY after login, as Dovecot 2.3.19 and Cyrus 3.6.1 send
	 * it in the test bed (tests/testbed/{dovecot,cyrus}.sh). */
	static const char *const seen[] = {
		"IMAP4rev1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE",
		"IDLE", "SORT", "SORT=DISPLAY", "THREAD=REFERENCES",
		"THREAD=REFS", "THREAD=ORDEREDSUBJECT", "MULTIAPPEND",
		"URL-PARTIAL", "CATENATE", "UNSELECT", "CHILDREN", "NAMESPACE",
		"UIDPLUS", "LIST-EXTENDED", "I18NLEVEL=1", "CONDSTORE",
		"QRESYNC", "ESEARCH", "ESORT", "SEARCHRES", "WITHIN",
		"CONTEXT=SEARCH", "LIST-STATUS", "BINARY", "MOVE",
		"SNIPPET=FUZZY", "PREVIEW=FUZZY", "PREVIEW", "STATUS=SIZE",
		"SAVEDATE", "LITERAL+", "NOTIFY", "SPECIAL-USE",
		"COMPRESS=DEFLATE", "QUOTA", "ACL", "RIGHTS=texk", "STARTTLS",
		"LOGINDISABLED", "AUTH=PLAIN", "ANNOTATE-EXPERIMENT-1",
		"CREATE-SPECIAL-USE", "LIST-MYRIGHTS", "MAILBOX-REFERRALS",
		"METADATA", "OBJECTID", "SEARCH=FUZZY", "URLAUTH",
		"URLAUTH=BINARY", "DIGEST=SHA1", "LIST-METADATA",
		"NO_ATOMIC_RENAME", "SCAN", "SORT=MODSEQ", "SORT=UID",
		"X-CREATEDMODSEQ", "X-REPLICATION", "X-SIEVE-MAILBOX", "XLIST",
		"XMOVE", "X-QUOTA=STORAGE", "APPENDLIMIT=4294967295",
		"UNAUTHENTICATE", "RIGHTS=kxten",
	};
	size_t i;

	for (i = 0; i < sizeof(seen) / sizeof(seen[0]); i++) {
		const struct capability_info *c = capability_info_lookup(seen[i]);

		if (c == NULL)
			fail_msg("no entry for %s", seen[i]);
		assert_true(strlen(c->meaning) > 8);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_both_servers_are_covered),
	};

	return cmocka_run_group_tests_name("capability-info", tests, NULL,
	    NULL);
}
