/* conn-tls: the TLS client layer.
 *
 * OpenSSL reads and writes through a custom BIO. Its read side calls the
 * layer below and turns CONN_AGAIN into a BIO retry. Its write side never
 * blocks: ciphertext is queued in `out`, which flush() and every handshake
 * step push down. So OpenSSL never sees a write retry (whose rules demand
 * the same buffer again), and the queue stays bounded because write()
 * stops taking plaintext while the queue is above a high-water mark. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "conn-tls.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

/* Stop taking plaintext while this much ciphertext waits for the layer
 * below; one 16 KB record more fits under the hard cap many times. */
#define TLS_OUT_HIGH (64 * 1024)
#define TLS_OUT_MAX (256 * 1024)
#define TLS_RECORD_MAX 16384
#define PIN_PREFIX "sha256/"
#define PIN_B64_LEN 44 /* base64 of 32 bytes */

struct tls_cert_fact {
	char *subject;
	char *issuer;
	char *not_before;
	char *not_after;
	char *sans;
};

struct conn_tls_facts {
	char *protocol;
	char *cipher;
	char *pin;
	unsigned bits; /* the cipher's strength: the SSF TLS gives SASL */
	struct tls_cert_fact *certs;
	size_t cert_count;
};

/* The first certificate the chain check rejected, for the message. */
struct verify_failure {
	int err; /* X509_V_OK while nothing failed */
	int depth;
	char subject[256];
};

struct tls_layer {
	struct conn_layer layer;
	SSL_CTX *ctx;
	SSL *ssl;
	struct buf out; /* ciphertext the layer below has not taken yet */
	enum conn_wait wants;

	char *servername;
	char *pin;
	bool handshake_done;
	bool failed; /* the handshake failed: every later call repeats it */
	bool defer_verify;
	bool pin_failed;

	struct verify_failure verify;
	char chain_error[512]; /* a deferred verify failure, or "" */
	/* The first bytes the server sent, to recognise one that does not
	 * speak TLS at all. */
	unsigned char head[CONN_TLS_HEAD_MAX];
	size_t head_len;
	bool below_eof;
	bool below_failed;
	char below_error[256];

	struct conn_tls_facts facts;
	char error[512];
};

struct conn_tls_session {
	SSL_SESSION *session;
};

static const struct conn_layer_vfuncs tls_vfuncs;
static BIO_METHOD *bio_method;

static struct tls_layer *
tls_layer_of(const struct conn_layer *layer)
{
	if (layer == NULL || layer->v != &tls_vfuncs)
		fatal("conn-tls: not a TLS layer");
	return (struct tls_layer *)layer;
}

static const char * __attribute__((format(printf, 2, 3)))
tls_error(struct tls_layer *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->error, sizeof(t->error), fmt, ap);
	va_end(ap);
	return t->error;
}

/* The first reason in OpenSSL's error queue, in words ("certificate verify
 * failed", "No such file or directory"); the queue is emptied. */
static void
openssl_reason(char *out, size_t outlen)
{
	unsigned long e = ERR_get_error();
	const char *r;

	if (e == 0)
		snprintf(out, outlen, "unknown error");
	else if (ERR_SYSTEM_ERROR(e))
		snprintf(out, outlen, "%s", strerror(ERR_GET_REASON(e)));
	else if ((r = ERR_reason_error_string(e)) != NULL)
		snprintf(out, outlen, "%s", r);
	else
		ERR_error_string_n(e, out, outlen);
	ERR_clear_error();
}

/* --- the BIO over the layer below ------------------------------------ */

static int
bio_write(BIO *bio, const char *data, int len)
{
	struct tls_layer *t = BIO_get_data(bio);

	BIO_clear_retry_flags(bio);
	if (len < 0 || buf_append(&t->out, data, (size_t)len) < 0) {
		t->below_failed = true;
		snprintf(t->below_error, sizeof(t->below_error),
		    "TLS output queue overflow");
		return -1;
	}
	return len;
}

static void
keep_head(struct tls_layer *t, const char *data, size_t len)
{
	size_t take = sizeof(t->head) - t->head_len;

	if (take > len)
		take = len;
	memcpy(t->head + t->head_len, data, take);
	t->head_len += take;
}

static int
bio_read(BIO *bio, char *data, int len)
{
	struct tls_layer *t = BIO_get_data(bio);
	struct conn_layer *below = t->layer.below;
	const char *error;
	ssize_t n;

	BIO_clear_retry_flags(bio);
	if (len <= 0)
		return 0;
	n = below->v->read(below, data, (size_t)len, &error);
	if (n > 0) {
		keep_head(t, data, (size_t)n);
		return (int)n;
	}
	if (n == CONN_AGAIN) {
		t->wants = below->v->wants(below);
		BIO_set_retry_read(bio);
		return -1;
	}
	if (n == CONN_EOF) {
		t->below_eof = true;
		return 0;
	}
	t->below_failed = true;
	snprintf(t->below_error, sizeof(t->below_error), "%s", error);
	return -1;
}

/* OpenSSL tells a clean end of stream from an error by BIO_eof(); flush
 * is the layer's business (flush() pushes `out` down). Nothing else
 * applies to a stream under our own management. */
static long
bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
	struct tls_layer *t = BIO_get_data(bio);

	switch (cmd) {
	case BIO_CTRL_EOF:
		return t != NULL && t->below_eof ? 1 : 0;
	case BIO_CTRL_FLUSH:
		return 1;
	default:
		return 0;
	}
}

static int
bio_create(BIO *bio)
{
	BIO_set_init(bio, 1);
	return 1;
}

/* One method for the process; it is never freed (a static reference). */
static BIO_METHOD *
get_bio_method(void)
{
	if (bio_method != NULL)
		return bio_method;
	bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
	    "imapwb conn layer");
	if (bio_method == NULL ||
	    BIO_meth_set_write(bio_method, bio_write) != 1 ||
	    BIO_meth_set_read(bio_method, bio_read) != 1 ||
	    BIO_meth_set_ctrl(bio_method, bio_ctrl) != 1 ||
	    BIO_meth_set_create(bio_method, bio_create) != 1)
		fatal("conn-tls: cannot create the BIO method");
	return bio_method;
}

/* --- pushing ciphertext down ----------------------------------------- */

/* Hand `out` to the layer below and flush it: 0, CONN_AGAIN (with wants
 * set) or CONN_ERROR. */
static int
push_down(struct tls_layer *t, const char **error_r)
{
	struct conn_layer *below = t->layer.below;
	const char *error;
	ssize_t n;
	int r;

	while (t->out.len > 0) {
		n = below->v->write(below, t->out.data, t->out.len, &error);
		if (n > 0) {
			buf_consume(&t->out, (size_t)n);
			continue;
		}
		if (n == CONN_AGAIN) {
			t->wants = below->v->wants(below);
			return CONN_AGAIN;
		}
		*error_r = tls_error(t, "%s", error);
		return CONN_ERROR;
	}
	if ((r = below->v->flush(below, &error)) == CONN_AGAIN)
		t->wants = below->v->wants(below);
	else if (r < 0)
		*error_r = tls_error(t, "%s", error);
	return r;
}

/* --- the facts ------------------------------------------------------- */

static char *
name_string(const X509_NAME *name)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *data, *s;
	long len;

	if (mem == NULL)
		fatal("conn-tls: out of memory");
	if (name == NULL ||
	    X509_NAME_print_ex(mem, name, 0, XN_FLAG_RFC2253) < 0)
		BIO_puts(mem, "?");
	len = BIO_get_mem_data(mem, &data);
	s = xstrndup(data, len > 0 ? (size_t)len : 0);
	BIO_free(mem);
	return s;
}

static char *
time_string(const ASN1_TIME *t)
{
	struct tm tm;
	char s[32];

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return xstrdup("?");
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(s);
}

/* The name as shown: anything but printable ASCII becomes '?', since a
 * certificate is the server's text. */
static void
append_printable(struct buf *b, const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		(void)buf_append_byte(b, s[i] > 0x20 && s[i] < 0x7f ? (char)s[i]
								    : '?');
}

/* "DNS:localhost, IP:127.0.0.1": the subjectAltName entries a server
 * name is checked against (other kinds are left out). */
static char *
sans_string(X509 *cert)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name,
	    NULL, NULL);
	char addr[INET6_ADDRSTRLEN];
	struct buf b;
	int i, n = names != NULL ? sk_GENERAL_NAME_num(names) : 0;

	buf_init(&b, 4096);
	for (i = 0; i < n; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		const ASN1_STRING *v;
		int type, af;

		v = GENERAL_NAME_get0_value(g, &type);
		if (type != GEN_DNS && type != GEN_IPADD)
			continue;
		if (b.len > 0)
			(void)buf_append_str(&b, ", ");
		if (type == GEN_DNS) {
			(void)buf_append_str(&b, "DNS:");
			append_printable(&b, ASN1_STRING_get0_data(v),
			    (size_t)ASN1_STRING_length(v));
			continue;
		}
		af = ASN1_STRING_length(v) == 4 ? AF_INET :
		    ASN1_STRING_length(v) == 16 ? AF_INET6 : -1;
		if (af < 0 || inet_ntop(af, ASN1_STRING_get0_data(v), addr,
		    sizeof(addr)) == NULL)
			(void)buf_append_str(&b, "IP:?");
		else
			(void)buf_printf(&b, "IP:%s", addr);
	}
	GENERAL_NAMES_free(names);
	return buf_steal(&b);
}

/* "sha256/" plus the base64 SHA-256 of the DER SubjectPublicKeyInfo: the
 * key, not the certificate, so a renewal with the same key keeps it. */
static char *
spki_pin(X509 *cert)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned int mdlen = 0;
	int len;
	char *pin = NULL;

	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len > 0 && EVP_Digest(der, (size_t)len, md, &mdlen,
	    EVP_sha256(), NULL) == 1) {
		EVP_EncodeBlock(b64, md, (int)mdlen);
		pin = xasprintf("%s%s", PIN_PREFIX, (const char *)b64);
	}
	OPENSSL_free(der);
	return pin != NULL ? pin : xstrdup("");
}

static void
facts_free(struct conn_tls_facts *f)
{
	size_t i;

	for (i = 0; i < f->cert_count; i++) {
		free(f->certs[i].subject);
		free(f->certs[i].issuer);
		free(f->certs[i].not_before);
		free(f->certs[i].not_after);
		free(f->certs[i].sans);
	}
	free(f->certs);
	free(f->protocol);
	free(f->cipher);
	free(f->pin);
	memset(f, 0, sizeof(*f));
}

/* Record what the server showed. Also called after a failed handshake,
 * so the user sees the certificate that was refused. */
static void
facts_capture(struct tls_layer *t)
{
	struct conn_tls_facts *f = &t->facts;
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(t->ssl);
	const char *cipher = SSL_get_cipher_name(t->ssl);
	size_t i, n = chain != NULL ? (size_t)sk_X509_num(chain) : 0;
	/* After a failed check only the chain is kept, leaf first. */
	X509 *leaf = n > 0 ? sk_X509_value(chain, 0) :
	    SSL_get0_peer_certificate(t->ssl);

	facts_free(f);
	f->protocol = xstrdup(SSL_get_version(t->ssl));
	f->cipher = xstrdup(cipher != NULL && strcmp(cipher, "(NONE)") != 0 ?
	    cipher : "");
	f->pin = leaf != NULL ? spki_pin(leaf) : xstrdup("");
	f->bits = (unsigned)SSL_get_cipher_bits(t->ssl, NULL);
	f->certs = xcalloc(n > 0 ? n : 1, sizeof(*f->certs));
	f->cert_count = n;
	for (i = 0; i < n; i++) {
		X509 *c = sk_X509_value(chain, (int)i);

		f->certs[i].subject = name_string(X509_get_subject_name(c));
		f->certs[i].issuer = name_string(X509_get_issuer_name(c));
		f->certs[i].not_before = time_string(X509_get0_notBefore(c));
		f->certs[i].not_after = time_string(X509_get0_notAfter(c));
		f->certs[i].sans = sans_string(c);
	}
}

static const char *
fact_str(const char *s)
{
	return s != NULL ? s : "";
}

const struct conn_tls_facts *
conn_tls_facts(const struct conn_layer *layer)
{
	return &tls_layer_of(layer)->facts;
}

const char *
conn_tls_facts_protocol(const struct conn_tls_facts *facts)
{
	return fact_str(facts->protocol);
}

const char *
conn_tls_facts_cipher(const struct conn_tls_facts *facts)
{
	return fact_str(facts->cipher);
}

unsigned
conn_tls_facts_bits(const struct conn_tls_facts *facts)
{
	return facts->bits;
}

const char *
conn_tls_facts_pin(const struct conn_tls_facts *facts)
{
	return fact_str(facts->pin);
}

size_t
conn_tls_facts_cert_count(const struct conn_tls_facts *facts)
{
	return facts->cert_count;
}

bool
conn_tls_facts_cert(const struct conn_tls_facts *facts, size_t i,
    const char **subject_r, const char **issuer_r, const char **not_after_r)
{
	if (i >= facts->cert_count)
		return false;
	*subject_r = facts->certs[i].subject;
	*issuer_r = facts->certs[i].issuer;
	*not_after_r = facts->certs[i].not_after;
	return true;
}

bool
conn_tls_facts_cert_detail(const struct conn_tls_facts *facts, size_t i,
    const char **not_before_r, const char **sans_r)
{
	if (i >= facts->cert_count)
		return false;
	*not_before_r = facts->certs[i].not_before;
	*sans_r = facts->certs[i].sans;
	return true;
}

/* --- verification ---------------------------------------------------- */

/* Remember the first rejected certificate: OpenSSL's own error says only
 * "certificate verify failed", which does not tell a user what to fix. */
static int
verify_cb(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_layer *t = SSL_get_app_data(ssl);
	X509 *cert = X509_STORE_CTX_get_current_cert(store);
	char *subject;

	if (ok || t->verify.err != X509_V_OK)
		return ok || t->defer_verify;
	t->verify.err = X509_STORE_CTX_get_error(store);
	t->verify.depth = X509_STORE_CTX_get_error_depth(store);
	subject = name_string(cert != NULL ? X509_get_subject_name(cert) :
	    NULL);
	snprintf(t->verify.subject, sizeof(t->verify.subject), "%s",
	    subject);
	free(subject);
	return t->defer_verify ? 1 : ok;
}

static const char *
verify_message(struct tls_layer *t)
{
	int err = t->verify.err;

	if (err == X509_V_ERR_HOSTNAME_MISMATCH ||
	    err == X509_V_ERR_IP_ADDRESS_MISMATCH)
		return tls_error(t, "certificate verify failed: %s (depth %d, "
		    "subject %s, expected %s)",
		    X509_verify_cert_error_string(err), t->verify.depth,
		    t->verify.subject, t->servername);
	return tls_error(t, "certificate verify failed: %s (depth %d, "
	    "subject %s)", X509_verify_cert_error_string(err),
	    t->verify.depth, t->verify.subject);
}

static bool
is_ip_literal(const char *name)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, name, addr) == 1 ||
	    inet_pton(AF_INET6, name, addr) == 1;
}

/* SNI for DNS names only; the certificate must match the name, or for an
 * IP literal one of its IP addresses (not a DNS name spelling it). */
static int
set_server_name(struct tls_layer *t, const char *name, bool verify)
{
	X509_VERIFY_PARAM *param = SSL_get0_param(t->ssl);
	bool ip = is_ip_literal(name);

	if (!ip && SSL_set_tlsext_host_name(t->ssl, name) != 1)
		return -1;
	if (!verify)
		return 0;
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (ip)
		return X509_VERIFY_PARAM_set1_ip_asc(param, name) == 1 ? 0 : -1;
	return X509_VERIFY_PARAM_set1_host(param, name, 0) == 1 ? 0 : -1;
}

bool
conn_tls_pin_well_formed(const char *pin)
{
	size_t plen = strlen(PIN_PREFIX);
	const char *b64 = pin + plen;

	return strncmp(pin, PIN_PREFIX, plen) == 0 &&
	    strlen(b64) == PIN_B64_LEN && b64[PIN_B64_LEN - 1] == '=' &&
	    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/") == PIN_B64_LEN - 1;
}

/* --- setting up ------------------------------------------------------ */

/* OpenSSL looks into the folder only when it needs an issuer, so a typo
 * would surface later as an unrelated verify failure: check it now. */
static int
load_capath(struct tls_layer *t, const char *capath, struct conn *conn,
    const char **error_r)
{
	char reason[256];
	struct stat st;

	if (stat(capath, &st) < 0) {
		*error_r = conn_set_error(conn, "cannot use CA folder %s: %s",
		    capath, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*error_r = conn_set_error(conn, "cannot use CA folder %s: "
		    "not a folder", capath);
		return -1;
	}
	if (SSL_CTX_load_verify_dir(t->ctx, capath) != 1) {
		openssl_reason(reason, sizeof(reason));
		*error_r = conn_set_error(conn, "cannot use CA folder %s: %s",
		    capath, reason);
		return -1;
	}
	return 0;
}

static int
load_trust(struct tls_layer *t, const struct conn_tls_options *opts,
    struct conn *conn, const char **error_r)
{
	char reason[256];

	if (opts->cafile == NULL && opts->capath == NULL) {
		if (SSL_CTX_set_default_verify_paths(t->ctx) == 1)
			return 0;
		openssl_reason(reason, sizeof(reason));
		*error_r = conn_set_error(conn, "cannot load the system CA "
		    "certificates: %s", reason);
		return -1;
	}
	if (opts->cafile != NULL &&
	    SSL_CTX_load_verify_file(t->ctx, opts->cafile) != 1) {
		openssl_reason(reason, sizeof(reason));
		*error_r = conn_set_error(conn, "cannot load CA certificates "
		    "from %s: %s", opts->cafile, reason);
		return -1;
	}
	if (opts->capath != NULL)
		return load_capath(t, opts->capath, conn, error_r);
	return 0;
}

/* Whether OpenSSL error e is this library's reason. */
static bool
ssl_error_is(unsigned long e, int lib, int reason)
{
	return ERR_GET_LIB(e) == lib && ERR_GET_REASON(e) == reason;
}

static int
load_client_cert(struct tls_layer *t, const struct conn_tls_options *opts,
    struct conn *conn, const char **error_r)
{
	const char *key = opts->key_file != NULL ? opts->key_file :
	    opts->cert_file;
	char reason[256];

	if (SSL_CTX_use_certificate_chain_file(t->ctx, opts->cert_file) != 1) {
		openssl_reason(reason, sizeof(reason));
		*error_r = conn_set_error(conn, "cannot load the client "
		    "certificate from %s: %s", opts->cert_file, reason);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(t->ctx, key, SSL_FILETYPE_PEM) == 1 &&
	    SSL_CTX_check_private_key(t->ctx) == 1)
		return 0;
	if (ssl_error_is(ERR_peek_error(), ERR_LIB_X509,
		X509_R_KEY_VALUES_MISMATCH) ||
	    ERR_peek_error() == 0) {
		ERR_clear_error();
		*error_r = conn_set_error(conn, "the client key in %s does not "
		    "match the certificate in %s", key, opts->cert_file);
		return -1;
	}
	openssl_reason(reason, sizeof(reason));
	*error_r = conn_set_error(conn, "cannot load the client key from %s: "
	    "%s", key, reason);
	return -1;
}

static int
setup_ctx(struct tls_layer *t, const struct conn_tls_options *opts,
    struct conn *conn, const char **error_r)
{
	if ((t->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		*error_r = conn_set_error(conn, "cannot create a TLS context");
		return -1;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	if (opts->insecure)
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
	else {
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, verify_cb);
		if (load_trust(t, opts, conn, error_r) < 0)
			return -1;
	}
	if (opts->cert_file != NULL &&
	    load_client_cert(t, opts, conn, error_r) < 0)
		return -1;
	return 0;
}

static int
setup_ssl(struct tls_layer *t, const struct conn_tls_options *opts,
    struct conn *conn, const char **error_r)
{
	BIO *bio;

	if ((t->ssl = SSL_new(t->ctx)) == NULL ||
	    (bio = BIO_new(get_bio_method())) == NULL) {
		*error_r = conn_set_error(conn, "cannot create a TLS session");
		return -1;
	}
	BIO_set_data(bio, t);
	SSL_set_bio(t->ssl, bio, bio);
	SSL_set_app_data(t->ssl, t);
	SSL_set_connect_state(t->ssl);
	if (opts->resume != NULL &&
	    SSL_set_session(t->ssl, opts->resume->session) != 1) {
		*error_r = conn_set_error(conn, "cannot offer the earlier TLS "
		    "session for resumption");
		return -1;
	}
	if (opts->servername != NULL &&
	    set_server_name(t, opts->servername, !opts->insecure) < 0) {
		*error_r = conn_set_error(conn, "cannot use %s as the TLS "
		    "server name", opts->servername);
		return -1;
	}
	return 0;
}

static int
check_options(const struct conn_tls_options *opts, struct conn *conn,
    const char **error_r)
{
	if (!opts->insecure && (opts->servername == NULL ||
	    opts->servername[0] == '\0')) {
		*error_r = conn_set_error(conn, "TLS needs a server name to "
		    "verify the certificate against");
		return -1;
	}
	if (opts->pin != NULL && !conn_tls_pin_well_formed(opts->pin)) {
		*error_r = conn_set_error(conn, "bad pin %s: expected %s "
		    "and %d base64 characters", opts->pin, PIN_PREFIX,
		    PIN_B64_LEN);
		return -1;
	}
	return 0;
}

int
conn_tls_push(struct conn *conn, const struct conn_tls_options *opts,
    struct conn_layer **layer_r, const char **error_r)
{
	struct tls_layer *t;

	if (conn->top == NULL) {
		*error_r = conn_set_error(conn, "TLS needs a connection");
		return -1;
	}
	if (check_options(opts, conn, error_r) < 0)
		return -1;
	t = xcalloc(1, sizeof(*t));
	t->layer.v = &tls_vfuncs;
	buf_init(&t->out, TLS_OUT_MAX);
	t->servername = xstrdup(opts->servername != NULL ?
	    opts->servername : "");
	t->pin = opts->pin != NULL ? xstrdup(opts->pin) : NULL;
	t->defer_verify = opts->defer_verify && !opts->insecure;
	t->verify.err = X509_V_OK;
	if (setup_ctx(t, opts, conn, error_r) < 0 ||
	    setup_ssl(t, opts, conn, error_r) < 0) {
		ERR_clear_error();
		t->layer.v->destroy(&t->layer);
		return -1;
	}
	conn_push(conn, &t->layer);
	*layer_r = &t->layer;
	return 0;
}

/* --- the handshake --------------------------------------------------- */


/* Turn an SSL call's failure into CONN_AGAIN, CONN_EOF or CONN_ERROR with
 * the most useful message: our layer below, the chain check, OpenSSL. */
static int
ssl_failure(struct tls_layer *t, int r, const char *what,
    const char **error_r)
{
	char reason[256];

	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return CONN_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		t->wants = CONN_WAIT_WRITE;
		return CONN_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		return CONN_EOF;
	}
	if (t->below_failed)
		*error_r = tls_error(t, "%s", t->below_error);
	else if (t->verify.err != X509_V_OK && !t->defer_verify)
		*error_r = verify_message(t);
	else if (ssl_error_is(ERR_peek_error(), ERR_LIB_SSL,
		     SSL_R_UNEXPECTED_EOF_WHILE_READING))
		*error_r = tls_error(t, "%s failed: the server closed the "
		    "connection without a TLS close_notify (unexpected eof "
		    "while reading)", what);
	else if (ssl_error_is(ERR_peek_error(), ERR_LIB_SSL,
		     SSL_R_WRONG_VERSION_NUMBER))
		*error_r = tls_error(t, "%s failed: wrong version number (the "
		    "server does not speak TLS here)", what);
	else if (ERR_peek_error() != 0) {
		openssl_reason(reason, sizeof(reason));
		*error_r = tls_error(t, "%s failed: %s", what, reason);
	} else if (t->below_eof)
		*error_r = tls_error(t, "the server closed the connection "
		    "during the %s", what);
	else
		*error_r = tls_error(t, "%s failed", what);
	ERR_clear_error();
	return CONN_ERROR;
}

static int
check_pin(struct tls_layer *t, const char **error_r)
{
	if (t->pin == NULL || strcmp(t->pin, conn_tls_facts_pin(&t->facts))
	    == 0)
		return 0;
	t->pin_failed = true;
	*error_r = tls_error(t, "public key pin mismatch: got %s, expected %s",
	    conn_tls_facts_pin(&t->facts), t->pin);
	return -1;
}

static int
handshake_failed(struct tls_layer *t, const char **error_r)
{
	t->failed = true;
	*error_r = t->error;
	return CONN_ERROR;
}

int
conn_tls_handshake(struct conn_layer *layer, const char **error_r)
{
	struct tls_layer *t = tls_layer_of(layer);
	int r, pushed;

	if (t->handshake_done)
		return 0;
	if (t->failed) {
		*error_r = t->error;
		return CONN_ERROR;
	}
	t->wants = CONN_WAIT_READ;
	ERR_clear_error();
	r = SSL_do_handshake(t->ssl);
	/* Whatever the step wrote (ClientHello, Finished) must go out before
	 * we wait for the answer. */
	pushed = push_down(t, error_r);
	if (pushed == CONN_ERROR)
		return handshake_failed(t, error_r);
	if (r != 1) {
		r = ssl_failure(t, r, "TLS handshake", error_r);
		if (r == CONN_AGAIN)
			return CONN_AGAIN;
		if (r == CONN_EOF)
			tls_error(t, "the server closed the connection during "
			    "the TLS handshake");
		/* Show the certificate that was refused, if one came. */
		if (SSL_get_peer_cert_chain(t->ssl) != NULL)
			facts_capture(t);
		return handshake_failed(t, error_r);
	}
	if (pushed == CONN_AGAIN)
		return CONN_AGAIN;
	facts_capture(t);
	if (check_pin(t, error_r) < 0)
		return handshake_failed(t, error_r);
	/* deferred: the caller decides by the key (conn_tls_chain_error) */
	if (t->verify.err != X509_V_OK)
		snprintf(t->chain_error, sizeof(t->chain_error), "%s",
		    verify_message(t));
	t->handshake_done = true;
	return 0;
}

const char *
conn_tls_chain_error(const struct conn_layer *layer)
{
	const struct tls_layer *t = tls_layer_of(layer);

	return t->chain_error[0] != '\0' ? t->chain_error : NULL;
}

enum conn_tls_failure
conn_tls_failure(const struct conn_layer *layer)
{
	const struct tls_layer *t = tls_layer_of(layer);

	if (!t->failed)
		return CONN_TLS_FAILED_NOT;
	if (t->pin_failed)
		return CONN_TLS_FAILED_PIN;
	if (!t->defer_verify && (t->verify.err == X509_V_ERR_HOSTNAME_MISMATCH ||
	    t->verify.err == X509_V_ERR_IP_ADDRESS_MISMATCH))
		return CONN_TLS_FAILED_NAME;
	if (t->verify.err != X509_V_OK && !t->defer_verify)
		return CONN_TLS_FAILED_CHAIN;
	return CONN_TLS_FAILED_OTHER;
}

size_t
conn_tls_head(const struct conn_layer *layer, const unsigned char **head_r)
{
	const struct tls_layer *t = tls_layer_of(layer);

	*head_r = t->head;
	return t->head_len;
}

void
conn_tls_set_ignore_unexpected_eof(struct conn_layer *layer)
{
	SSL_set_options(tls_layer_of(layer)->ssl,
	    SSL_OP_IGNORE_UNEXPECTED_EOF);
}

/* --- resumption ----------------------------------------------------- */

struct conn_tls_session *
conn_tls_session_get(const struct conn_layer *layer)
{
	struct tls_layer *t = tls_layer_of(layer);
	struct conn_tls_session *s;
	SSL_SESSION *session, *live;

	if (!t->handshake_done || (live = SSL_get0_session(t->ssl)) == NULL)
		return NULL;
	/* A copy: SSL_free() marks the live session not resumable when we
	 * sent no close_notify, which is how an IMAP session ends (the
	 * server closes after LOGOUT). The caller takes it after a clean
	 * end, so it is as good as OpenSSL's own. */
	if ((session = SSL_SESSION_dup(live)) == NULL)
		return NULL;
	if (SSL_SESSION_is_resumable(session) != 1) {
		SSL_SESSION_free(session);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->session = session;
	return s;
}

void
conn_tls_session_free(struct conn_tls_session **sp)
{
	if (*sp == NULL)
		return;
	SSL_SESSION_free((*sp)->session);
	free(*sp);
	*sp = NULL;
}

bool
conn_tls_session_reused(const struct conn_layer *layer)
{
	struct tls_layer *t = tls_layer_of(layer);

	return t->handshake_done && SSL_session_reused(t->ssl) == 1;
}

/* --- the layer ------------------------------------------------------- */

static ssize_t
tls_read(struct conn_layer *layer, void *buf, size_t len,
    const char **error_r)
{
	struct tls_layer *t = tls_layer_of(layer);
	size_t n = 0;
	int r;

	if ((r = conn_tls_handshake(layer, error_r)) != 0)
		return r;
	/* Queued ciphertext goes first; waiting to write is no reason not
	 * to read. */
	if (push_down(t, error_r) == CONN_ERROR)
		return CONN_ERROR;
	t->wants = CONN_WAIT_READ;
	ERR_clear_error();
	r = SSL_read_ex(t->ssl, buf, len, &n);
	if (r == 1)
		return (ssize_t)n;
	return ssl_failure(t, r, "TLS read", error_r);
}

static ssize_t
tls_write(struct conn_layer *layer, const void *buf, size_t len,
    const char **error_r)
{
	struct tls_layer *t = tls_layer_of(layer);
	size_t n = 0;
	int r;

	if ((r = conn_tls_handshake(layer, error_r)) != 0)
		return r;
	if (len == 0)
		return 0;
	if (t->out.len >= TLS_OUT_HIGH) {
		if ((r = push_down(t, error_r)) == CONN_ERROR)
			return r;
		if (t->out.len >= TLS_OUT_HIGH)
			return CONN_AGAIN;
	}
	ERR_clear_error();
	r = SSL_write_ex(t->ssl, buf, len < TLS_RECORD_MAX ? len :
	    TLS_RECORD_MAX, &n);
	if (r == 1)
		return (ssize_t)n;
	return ssl_failure(t, r, "TLS write", error_r);
}

static int
tls_flush(struct conn_layer *layer, const char **error_r)
{
	struct tls_layer *t = tls_layer_of(layer);

	if (t->failed) {
		*error_r = t->error;
		return CONN_ERROR;
	}
	return push_down(t, error_r);
}

/* Only a whole decrypted record counts: OpenSSL reads record by record
 * (no read-ahead), so nothing half-read hides in its buffers. */
static size_t
tls_pending(const struct conn_layer *layer)
{
	int n = SSL_pending(tls_layer_of(layer)->ssl);

	return n > 0 ? (size_t)n : 0;
}

static enum conn_wait
tls_wants(const struct conn_layer *layer)
{
	return tls_layer_of(layer)->wants;
}

static void
tls_destroy(struct conn_layer *layer)
{
	struct tls_layer *t = tls_layer_of(layer);

	SSL_free(t->ssl); /* and the BIO */
	SSL_CTX_free(t->ctx);
	buf_free(&t->out);
	facts_free(&t->facts);
	free(t->servername);
	free(t->pin);
	free(t);
}

static const struct conn_layer_vfuncs tls_vfuncs = {
	.name = "tls",
	.read = tls_read,
	.write = tls_write,
	.flush = tls_flush,
	.pending = tls_pending,
	.wants = tls_wants,
	.destroy = tls_destroy,
};
