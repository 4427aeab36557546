/* Unit tests for decode-namespace: the examples of RFC 2342 (repeated in
 * RFC 9051) and RFC 2971, a few constructed cases, and replies recorded
 * from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-namespace.h"
#include "parse-response.h"

static void
assert_desc(const struct namespace_list *l, size_t i, const char *prefix,
    const char *delimiter)
{
	assert_true(i < l->count);
	assert_string_equal(l->descs[i].prefix, prefix);
	if (delimiter == NULL)
		assert_null(l->descs[i].delimiter);
	else
		assert_string_equal(l->descs[i].delimiter, delimiter);
}

/* Every Namespace-Descr of a list, in order. */
static void
assert_list(const struct namespace_list *l, size_t count,
    const char *const *prefix_delim)
{
	size_t i;

	assert_false(l->nil);
	assert_int_equal(l->count, count);
	for (i = 0; i < count; i++) {
		assert_desc(l, i, prefix_delim[2 * i], prefix_delim[2 * i + 1]);
		assert_int_equal(l->descs[i].ext_count, 0);
	}
}

static void
assert_nil(const struct namespace_list *l)
{
	assert_true(l->nil);
	assert_int_equal(l->count, 0);
	assert_null(l->descs);
}

/* RFC 2342 5, Examples 5.1 to 5.9, byte for byte (RFC 9051 6.3.10 repeats
 * them as Examples 1 to 9). Where the RFC breaks a response over two
 * lines, the lines are joined as the grammar wants them: no SP between
 * two descriptions, one SP elsewhere. */
static void
test_rfc2342_examples(void **state)
{
	static const char *const slash[] = { "", "/" };
	static const char *const shared54[] = { "#shared/", "/", "#public/",
		"/", "#ftp/", "/", "#news.", "." };
	struct namespace_response ns;
	const char *err;

	(void)state;
	/* Example 5.1: one personal namespace */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n"), &ns, &err));
	assert_list(&ns.personal, 1, slash);
	assert_nil(&ns.other);
	assert_nil(&ns.shared);
	namespace_response_free(&ns);
	/* Example 5.2: anonymous, only a shared namespace */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE NIL NIL ((\"\" \".\"))\r\n"), &ns, &err));
	assert_nil(&ns.personal);
	assert_nil(&ns.other);
	assert_int_equal(ns.shared.count, 1);
	assert_desc(&ns.shared, 0, "", ".");
	namespace_response_free(&ns);
	/* Example 5.3 */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) NIL ((\"Public Folders/\" \"/\"))"
	    "\r\n"), &ns, &err));
	assert_list(&ns.personal, 1, slash);
	assert_nil(&ns.other);
	assert_int_equal(ns.shared.count, 1);
	assert_desc(&ns.shared, 0, "Public Folders/", "/");
	namespace_response_free(&ns);
	/* Example 5.4: four shared namespaces, one with "." */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")"
	    "(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))\r\n"),
	    &ns, &err));
	assert_list(&ns.personal, 1, slash);
	assert_int_equal(ns.other.count, 1);
	assert_desc(&ns.other, 0, "~", "/");
	assert_list(&ns.shared, 4, shared54);
	namespace_response_free(&ns);
	/* Example 5.5: the RFC has two spaces before the last NIL, which
	 * its grammar (one SP) does not allow; the parser skips extra
	 * spaces between tokens, so it decodes as meant. */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"INBOX.\" \".\")) NIL  NIL\r\n"), &ns, &err));
	assert_int_equal(ns.personal.count, 1);
	assert_desc(&ns.personal, 0, "INBOX.", ".");
	assert_nil(&ns.other);
	assert_nil(&ns.shared);
	namespace_response_free(&ns);
	/* Example 5.6: a second personal namespace with an extension */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")(\"#mh/\" \"/\" \"X-PARAM\" "
	    "(\"FLAG1\" \"FLAG2\"))) NIL NIL\r\n"), &ns, &err));
	assert_int_equal(ns.personal.count, 2);
	assert_desc(&ns.personal, 0, "", "/");
	assert_int_equal(ns.personal.descs[0].ext_count, 0);
	assert_desc(&ns.personal, 1, "#mh/", "/");
	assert_int_equal(ns.personal.descs[1].ext_count, 1);
	assert_string_equal(ns.personal.descs[1].exts[0].name, "X-PARAM");
	assert_int_equal(ns.personal.descs[1].exts[0].count, 2);
	assert_string_equal(ns.personal.descs[1].exts[0].values[0], "FLAG1");
	assert_string_equal(ns.personal.descs[1].exts[0].values[1], "FLAG2");
	assert_nil(&ns.other);
	assert_nil(&ns.shared);
	namespace_response_free(&ns);
	/* Examples 5.7, 5.8 and 5.9 (5.9 is also RFC 9051 7.3.2's) */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) NIL\r\n"),
	    &ns, &err));
	assert_list(&ns.personal, 1, slash);
	assert_int_equal(ns.other.count, 1);
	assert_desc(&ns.other, 0, "Other Users/", "/");
	assert_nil(&ns.shared);
	namespace_response_free(&ns);
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) ((\"#Users/\" \"/\")) NIL\r\n"),
	    &ns, &err));
	assert_desc(&ns.other, 0, "#Users/", "/");
	assert_nil(&ns.shared);
	namespace_response_free(&ns);
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) NIL\r\n"), &ns,
	    &err));
	assert_list(&ns.personal, 1, slash);
	assert_int_equal(ns.other.count, 1);
	assert_desc(&ns.other, 0, "~", "/");
	assert_nil(&ns.shared);
	namespace_response_free(&ns);
}

/* Not from an RFC: a flat namespace has a NIL delimiter (RFC 2342 6
 * allows nil in place of the quoted delimiter). */
static void
test_namespace_constructed(void **state)
{
	struct namespace_response ns;
	const char *err;

	(void)state;
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" NIL)) NIL NIL\r\n"), &ns, &err));
	assert_desc(&ns.personal, 0, "", NULL);
	namespace_response_free(&ns);
}

static void
test_namespace_recorded(void **state)
{
	struct namespace_response ns;
	const char *err;

	(void)state;
	/* fuzz/corpus/imap-parser/dovecot-namespace-001 */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n"), &ns, &err));
	assert_desc(&ns.personal, 0, "", "/");
	namespace_response_free(&ns);
	/* cyrus-namespace-001 */
	assert_true(decode_namespace(test_parse_response(
	    "* NAMESPACE ((\"INBOX.\" \".\")) ((\"user.\" \".\")) "
	    "((\"\" \".\"))\r\n"), &ns, &err));
	assert_desc(&ns.personal, 0, "INBOX.", ".");
	assert_desc(&ns.other, 0, "user.", ".");
	assert_desc(&ns.shared, 0, "", ".");
	assert_false(ns.personal.nil || ns.other.nil || ns.shared.nil);
	namespace_response_free(&ns);
}

static void
test_namespace_malformed(void **state)
{
	static const char *const bad[] = {
		"* NAMESPACE ((\"\" \"/\")) NIL\r\n",
		"* NAMESPACE ((\"\" \"/\")) NIL NIL NIL\r\n",
		"* NAMESPACE () NIL NIL\r\n",
		"* NAMESPACE ((\"\")) NIL NIL\r\n",
		"* NAMESPACE ((\"\" \"//\")) NIL NIL\r\n",
		"* NAMESPACE ((\"\" \"/\" \"X\")) NIL NIL\r\n",
		"* NAMESPACE ((\"\" \"/\" \"X\" ())) NIL NIL\r\n",
		"* NAMESPACE ((\"\" \"/\" \"X\" (A))) NIL NIL\r\n",
		"* NAMESPACE (\"\" \"/\") NIL NIL\r\n",
		"* NAMESPACE ((\"a\" \"/\") (\"b\")) NIL NIL\r\n",
	};
	struct namespace_response ns;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		assert_false(decode_namespace(test_parse_response(bad[i]), &ns,
		    &err));
		assert_non_null(err);
		assert_null(ns.personal.descs);
	}
}

static void
test_id(void **state)
{
	struct id_response id;
	const char *err;

	(void)state;
	/* RFC 2971 3.2 (the field names are listed in 3.3) */
	assert_true(decode_id(test_parse_response(
	    "* ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" \"sunos\" "
	    "\"os-version\" \"5.5\" \"support-url\" "
	    "\"mailto:cyrus-bugs+@andrew.cmu.edu\")\r\n"), &id, &err));
	assert_int_equal(id.count, 5);
	assert_false(id.nil);
	assert_string_equal(id_response_get(&id, "OS-Version"), "5.5");
	assert_string_equal(id.pairs[4].value,
	    "mailto:cyrus-bugs+@andrew.cmu.edu");
	assert_null(id_response_get(&id, "vendor"));
	id_response_free(&id);
	/* RFC 2971 3.1 */
	assert_true(decode_id(test_parse_response("* ID NIL\r\n"), &id, &err));
	assert_true(id.nil);
	assert_int_equal(id.count, 0);
	id_response_free(&id);
	/* not from the RFC: a NIL value */
	assert_true(decode_id(test_parse_response(
	    "* ID (\"name\" \"x\" \"date\" NIL)\r\n"), &id, &err));
	assert_null(id.pairs[1].value);
	id_response_free(&id);
	/* recorded: dovecot-id-001 and cyrus-id-001 */
	assert_true(decode_id(test_parse_response(
	    "* ID (\"name\" \"Dovecot\")\r\n"), &id, &err));
	assert_string_equal(id_response_get(&id, "name"), "Dovecot");
	id_response_free(&id);
	assert_true(decode_id(test_parse_response(
	    "* ID (\"name\" \"Cyrus IMAPD\" \"version\" "
	    "\"3.6.1-Debian-3.6.1-4+deb12u5\" \"vendor\" \"Project Cyrus\" "
	    "\"support-url\" \"https://www.cyrusimap.org\" \"os\" \"Linux\" "
	    "\"os-version\" \"6.18.44-fc-v657\" \"environment\" \"Built "
	    "w/Cyrus SASL 2.1.28; Running w/Cyrus SASL 2.1.28; Built "
	    "w/OpenSSL 3.0.20 7 Apr 2026; Running w/OpenSSL 3.0.22 25 Aug "
	    "2026; Built w/zlib 1.2.13; Running w/zlib 1.2.13; CMU Sieve "
	    "3.0; TCP Wrappers; mmap = shared; lock = fcntl; nonblock = "
	    "fcntl; idle = idled\")\r\n"), &id, &err));
	assert_int_equal(id.count, 7);
	assert_string_equal(id_response_get(&id, "vendor"), "Project Cyrus");
	assert_string_equal(id_response_get(&id, "version"),
	    "3.6.1-Debian-3.6.1-4+deb12u5");
	id_response_free(&id);
	/* malformed */
	assert_false(decode_id(test_parse_response(
	    "* ID (\"name\")\r\n"), &id, &err));
	assert_false(decode_id(test_parse_response(
	    "* ID (NIL \"x\")\r\n"), &id, &err));
	assert_false(decode_id(test_parse_response(
	    "* ID (\"a\" (\"x\"))\r\n"), &id, &err));
	assert_false(decode_id(test_parse_response("* ID\r\n"), &id, &err));
	assert_false(decode_id(test_parse_response("* ID NIL NIL\r\n"), &id,
	    &err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2342_examples),
		cmocka_unit_test(test_namespace_constructed),
		cmocka_unit_test(test_namespace_recorded),
		cmocka_unit_test(test_namespace_malformed),
		cmocka_unit_test(test_id),
	};

	return cmocka_run_group_tests_name("decode-namespace", tests, NULL,
	    test_parse_cleanup);
}
