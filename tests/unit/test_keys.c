/*
 * evidence/keys: Ed25519 key files and signatures (clause exceptions: an
 * exception waives findings only with the approver's signature). The files
 * are read defensively: a private key readable by others, a symbolic link or
 * an oversized file is refused; every malformed line is a key-file error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/exception.h"
#include "evidence/keys.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"

#define NOW ((time_t)1764417600) /* 2025-11-29T12:00:00Z */

static char tmpdir[128];
static unsigned case_counter;

static void remove_dir(const char *path)
{
	char child[512];
	struct dirent *e;
	DIR *d = opendir(path);

	if (d) {
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
			unlink(child);
		}
		closedir(d);
	}
	rmdir(path);
}

static int group_setup(void **state)
{
	(void)state;
	if (sg_crypto_init() != 0)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-keys-test-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	if (tmpdir[0])
		remove_dir(tmpdir);
	return 0;
}

/* A path in the temporary directory, unique to this call. */
static void temp_path(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%u-%s", tmpdir, ++case_counter, name);
}

static void write_file(const char *path, mode_t mode, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static size_t read_file(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, size - 1, f);
	fclose(f);
	out[n] = '\0';
	return n;
}

/* A fresh key pair in the temporary directory. */
static void new_pair(char *path, size_t size, struct sg_public_key *pub, struct sg_secret_key *sec)
{
	struct sg_error err;

	temp_path("key", path, size);
	sg_error_clear(&err);
	if (sg_key_generate(path, pub, &err) != 0)
		fail_msg("sg_key_generate: %s", err.message);
	if (sec && sg_secret_key_read(path, sec, &err) != 0)
		fail_msg("sg_secret_key_read: %s", err.message);
}

static void assert_diag(int rc, const struct sg_error *err, enum sg_diag diag, const char *what)
{
	if (rc != sg_diag_code(diag) || err->diag != diag)
		fail_msg("%s: rc %d diag %s (%s), want %s", what, rc, sg_diag_id(err->diag), err->message,
			 sg_diag_id(diag));
	if (err->message[0] == '\0' || strchr(err->message, '\n'))
		fail_msg("%s: the message is not one line: \"%s\"", what, err->message);
}

/* ---- generating and reading ---- */

/* "Write a new pair: path (0600) and path.pub (0644)." */
static void test_generate_files(void **state)
{
	char path[256], pub_path[300], text[SG_KEY_FILE_MAX_BYTES + 1], key_id[SG_KEY_ID_TEXT];
	struct sg_public_key pub, again;
	struct sg_secret_key sec;
	struct sg_error err;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	new_pair(path, sizeof(path), &pub, &sec);
	umask(old);
	snprintf(pub_path, sizeof(pub_path), "%s.pub", path);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(lstat(pub_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);

	/* The key id is the first 8 bytes of the key's digest, in hex. */
	sg_key_id(pub.key, key_id);
	assert_string_equal(pub.key_id, key_id);
	assert_int_equal(strlen(pub.key_id), 16);
	assert_string_equal(sec.key_id, pub.key_id);
	/* The public half of the secret key is the public key. */
	assert_memory_equal(sec.key + 32, pub.key, SG_PUBLIC_KEY_BYTES);

	sg_error_clear(&err);
	assert_int_equal(sg_public_key_read(pub_path, &again, &err), 0);
	assert_string_equal(again.key_id, pub.key_id);
	assert_memory_equal(again.key, pub.key, SG_PUBLIC_KEY_BYTES);

	/* The files say what they are, in three lines. */
	read_file(pub_path, text, sizeof(text));
	assert_true(strncmp(text, "shipgate ed25519 public key\nkey-id: ", 36) == 0);
	assert_non_null(strstr(text, "\npublic: "));
	read_file(path, text, sizeof(text));
	assert_true(strncmp(text, "shipgate ed25519 secret key\nkey-id: ", 36) == 0);
	assert_non_null(strstr(text, "\nsecret: "));
	sodium_memzero(text, sizeof(text));
	sg_secret_key_wipe(&sec);
}

/* Two pairs are two keys. */
static void test_generate_differs(void **state)
{
	char a[256], b[256];
	struct sg_public_key pa, pb;

	(void)state;
	new_pair(a, sizeof(a), &pa, NULL);
	new_pair(b, sizeof(b), &pb, NULL);
	assert_memory_not_equal(pa.key, pb.key, SG_PUBLIC_KEY_BYTES);
	assert_string_not_equal(pa.key_id, pb.key_id);
}

/* "Neither may exist yet": an existing key is never overwritten. */
static void test_generate_refuses_existing(void **state)
{
	char path[256], pub_path[300], before[SG_KEY_FILE_MAX_BYTES + 1], after[SG_KEY_FILE_MAX_BYTES + 1];
	struct sg_public_key pub, other;
	struct sg_error err;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, NULL);
	read_file(path, before, sizeof(before));
	sg_error_clear(&err);
	rc = sg_key_generate(path, &other, &err);
	assert_int_equal(rc, SG_ECONFLICT);
	assert_diag(rc, &err, SG_DIAG_CONFLICT, "existing key");
	read_file(path, after, sizeof(after));
	assert_string_equal(before, after);

	/* Only FILE.pub exists: refused, and no private key is left behind. */
	temp_path("lonely", path, sizeof(path));
	snprintf(pub_path, sizeof(pub_path), "%s.pub", path);
	write_file(pub_path, 0644, "not a key\n", 10);
	sg_error_clear(&err);
	rc = sg_key_generate(path, &other, &err);
	assert_int_equal(rc, SG_ECONFLICT);
	assert_int_not_equal(access(path, F_OK), 0);
	read_file(pub_path, after, sizeof(after));
	assert_string_equal(after, "not a key\n");
	sodium_memzero(before, sizeof(before));
	sodium_memzero(after, sizeof(after));
}

/* "a private key readable by others is refused, as ssh does" */
static void test_secret_key_mode(void **state)
{
	static const mode_t bad[] = {0644, 0640, 0604, 0660, 0601};
	char path[256];
	struct sg_public_key pub;
	struct sg_secret_key sec;
	struct sg_error err;
	size_t i;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(path, bad[i]), 0);
		sg_error_clear(&err);
		rc = sg_secret_key_read(path, &sec, &err);
		assert_diag(rc, &err, SG_DIAG_KEY_FILE, "mode");
		assert_string_equal(err.where, path);
	}
	/* 0400 is as private as 0600. */
	assert_int_equal(chmod(path, 0400), 0);
	sg_error_clear(&err);
	assert_int_equal(sg_secret_key_read(path, &sec, &err), 0);
	assert_string_equal(sec.key_id, pub.key_id);
	sg_secret_key_wipe(&sec);
}

/* "opened without following a symbolic link" */
static void test_symlink_refused(void **state)
{
	char path[256], link_path[256], pub_link[256], pub_path[300];
	struct sg_public_key pub, got;
	struct sg_secret_key sec;
	struct sg_signature sig;
	struct sg_error err;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, NULL);
	temp_path("link", link_path, sizeof(link_path));
	assert_int_equal(symlink(path, link_path), 0);
	sg_error_clear(&err);
	rc = sg_secret_key_read(link_path, &sec, &err);
	assert_diag(rc, &err, SG_DIAG_FILE_OPEN, "symlink");
	assert_string_equal(err.where, link_path);

	snprintf(pub_path, sizeof(pub_path), "%s.pub", path);
	temp_path("link.pub", pub_link, sizeof(pub_link));
	assert_int_equal(symlink(pub_path, pub_link), 0);
	sg_error_clear(&err);
	rc = sg_public_key_read(pub_link, &got, &err);
	assert_diag(rc, &err, SG_DIAG_FILE_OPEN, "public symlink");
	sg_error_clear(&err);
	rc = sg_signature_read(pub_link, &sig, &err);
	assert_diag(rc, &err, SG_DIAG_FILE_OPEN, "signature symlink");
}

/* Missing files and directories. */
static void test_not_a_file(void **state)
{
	char path[256];
	struct sg_public_key pub;
	struct sg_error err;
	int rc;

	(void)state;
	temp_path("missing", path, sizeof(path));
	sg_error_clear(&err);
	rc = sg_public_key_read(path, &pub, &err);
	assert_diag(rc, &err, SG_DIAG_FILE_OPEN, "missing");
	sg_error_clear(&err);
	rc = sg_public_key_read(tmpdir, &pub, &err);
	assert_true(rc < 0);
	assert_true(err.diag == SG_DIAG_FILE_OPEN || err.diag == SG_DIAG_FILE_READ);
}

/* "a regular file of at most 4 KiB" */
static void test_size_limit(void **state)
{
	char path[256], big[SG_KEY_FILE_MAX_BYTES + 2];
	struct sg_secret_key sec;
	struct sg_public_key pub;
	struct sg_error err;
	int rc;

	(void)state;
	memset(big, '#', sizeof(big));
	temp_path("big", path, sizeof(path));
	write_file(path, 0600, big, SG_KEY_FILE_MAX_BYTES + 1);
	sg_error_clear(&err);
	rc = sg_secret_key_read(path, &sec, &err);
	assert_diag(rc, &err, SG_DIAG_LIMIT_EXCEEDED, "4097 bytes");
	sg_error_clear(&err);
	rc = sg_public_key_read(path, &pub, &err);
	assert_diag(rc, &err, SG_DIAG_LIMIT_EXCEEDED, "4097 bytes public");
	/* Exactly 4096 bytes is within the limit: read, then refused as a key. */
	temp_path("edge", path, sizeof(path));
	write_file(path, 0600, big, SG_KEY_FILE_MAX_BYTES);
	sg_error_clear(&err);
	rc = sg_secret_key_read(path, &sec, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "4096 bytes");
}

/* ---- parsing ---- */

struct parse_case {
	const char *name;
	const char *text; /* "%s" is the valid key-id, "%b" the valid base64 */
};

/* The text of a case with the valid key id and base64 filled in. */
static size_t fill(const char *tmpl, const char *key_id, const char *b64, char *out, size_t size)
{
	size_t n = 0;
	const char *p;

	for (p = tmpl; *p && n + 1 < size; p++) {
		const char *ins = NULL;
		if (p[0] == '%' && p[1] == 's')
			ins = key_id;
		else if (p[0] == '%' && p[1] == 'b')
			ins = b64;
		if (ins) {
			n += (size_t)snprintf(out + n, size - n, "%s", ins);
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return n;
}

static void b64_of(const unsigned char *bytes, size_t n, char *out, size_t size)
{
	sodium_bin2base64(out, size, bytes, n, sodium_base64_VARIANT_ORIGINAL);
}

static const struct parse_case bad_public[] = {
	{"empty", ""},
	{"wrong header", "shipgate ed25519 secret key\nkey-id: %s\npublic: %b\n"},
	{"header case", "Shipgate ed25519 public key\nkey-id: %s\npublic: %b\n"},
	{"header trailing space", "shipgate ed25519 public key \nkey-id: %s\npublic: %b\n"},
	{"2 lines", "shipgate ed25519 public key\nkey-id: %s\n"},
	{"2 lines, no newline", "shipgate ed25519 public key\nkey-id: %s"},
	{"4 lines", "shipgate ed25519 public key\nkey-id: %s\npublic: %b\ncomment: hi\n"},
	{"blank line after", "shipgate ed25519 public key\nkey-id: %s\npublic: %b\n\n"},
	{"blank line before", "\nshipgate ed25519 public key\nkey-id: %s\npublic: %b\n"},
	{"fields swapped", "shipgate ed25519 public key\npublic: %b\nkey-id: %s\n"},
	{"no space after colon", "shipgate ed25519 public key\nkey-id:%s\npublic: %b\n"},
	{"key-id 15 digits", "shipgate ed25519 public key\nkey-id: 0123456789abcde\npublic: %b\n"},
	{"key-id 17 digits", "shipgate ed25519 public key\nkey-id: 0123456789abcdef0\npublic: %b\n"},
	{"key-id upper case", "shipgate ed25519 public key\nkey-id: 0123456789ABCDEF\npublic: %b\n"},
	{"key-id not hex", "shipgate ed25519 public key\nkey-id: 0123456789abcdeg\npublic: %b\n"},
	{"key-id of another key", "shipgate ed25519 public key\nkey-id: 0000000000000000\npublic: %b\n"},
	{"bad base64", "shipgate ed25519 public key\nkey-id: %s\npublic: !!!!%b\n"},
	{"base64 trailing junk", "shipgate ed25519 public key\nkey-id: %s\npublic: %b*\n"},
	{"base64 empty", "shipgate ed25519 public key\nkey-id: %s\npublic: \n"},
	{"base64 short", "shipgate ed25519 public key\nkey-id: %s\npublic: AAAA\n"},
	{"base64 url variant", "shipgate ed25519 public key\nkey-id: %s\npublic: %b-_\n"},
	{"base64 very long", "shipgate ed25519 public key\nkey-id: %s\npublic: %b%b%b%b%b\n"},
};

static void test_public_parse_rejects(void **state)
{
	char path[256], text[1024], b64[128], upper_id[SG_KEY_ID_TEXT];
	struct sg_public_key pub, got;
	struct sg_error err;
	size_t i, n;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, NULL);
	b64_of(pub.key, SG_PUBLIC_KEY_BYTES, b64, sizeof(b64));
	/* The template itself parses. */
	n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	assert_int_equal(sg_public_key_parse(text, n, &got, &err), 0);
	assert_memory_equal(got.key, pub.key, SG_PUBLIC_KEY_BYTES);
	for (i = 0; i < sizeof(bad_public) / sizeof(bad_public[0]); i++) {
		n = fill(bad_public[i].text, pub.key_id, b64, text, sizeof(text));
		sg_error_clear(&err);
		rc = sg_public_key_parse(text, n, &got, &err);
		assert_diag(rc, &err, SG_DIAG_KEY_FILE, bad_public[i].name);
	}
	/* The real key id in upper case is still refused. */
	for (i = 0; i < SG_KEY_ID_TEXT; i++)
		upper_id[i] = (pub.key_id[i] >= 'a' && pub.key_id[i] <= 'f') ? (char)(pub.key_id[i] - 32) : pub.key_id[i];
	if (strcmp(upper_id, pub.key_id) != 0) {
		n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b\n", upper_id, b64, text, sizeof(text));
		sg_error_clear(&err);
		rc = sg_public_key_parse(text, n, &got, &err);
		assert_diag(rc, &err, SG_DIAG_KEY_FILE, "real key-id upper case");
	}
}

/* The base64 of a value of the wrong length. */
static void test_parse_wrong_length(void **state)
{
	char path[256], text[1024], b64[256];
	unsigned char bytes[SG_SECRET_KEY_BYTES + 1];
	struct sg_public_key pub, got;
	struct sg_secret_key sec, sgot;
	struct sg_signature sig;
	struct sg_error err;
	size_t n;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, &sec);
	memset(bytes, 0, sizeof(bytes));
	memcpy(bytes, pub.key, SG_PUBLIC_KEY_BYTES);
	/* 31 and 33 bytes for a 32-byte public key. */
	b64_of(bytes, SG_PUBLIC_KEY_BYTES - 1, b64, sizeof(b64));
	n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_public_key_parse(text, n, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "31 bytes");
	b64_of(bytes, SG_PUBLIC_KEY_BYTES + 1, b64, sizeof(b64));
	n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_public_key_parse(text, n, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "33 bytes");
	/* A public key where a secret key belongs (32 of 64 bytes). */
	b64_of(pub.key, SG_PUBLIC_KEY_BYTES, b64, sizeof(b64));
	n = fill("shipgate ed25519 secret key\nkey-id: %s\nsecret: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_secret_key_parse(text, n, &sgot, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "secret of 32 bytes");
	/* 65 bytes of secret. */
	memcpy(bytes, sec.key, SG_SECRET_KEY_BYTES);
	b64_of(bytes, SG_SECRET_KEY_BYTES + 1, b64, sizeof(b64));
	n = fill("shipgate ed25519 secret key\nkey-id: %s\nsecret: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_secret_key_parse(text, n, &sgot, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "secret of 65 bytes");
	/* 63 bytes of signature. */
	b64_of(bytes, SG_SIGNATURE_BYTES - 1, b64, sizeof(b64));
	n = fill("shipgate ed25519 signature\nkey-id: %s\nsignature: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_signature_parse(text, n, &sig, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "signature of 63 bytes");
	sodium_memzero(bytes, sizeof(bytes));
	sodium_memzero(text, sizeof(text));
	sodium_memzero(b64, sizeof(b64));
	sg_secret_key_wipe(&sec);
}

/* A NUL byte anywhere, even after a text that would otherwise parse. */
static void test_parse_nul_byte(void **state)
{
	char path[256], text[1024], b64[128];
	struct sg_public_key pub, got;
	struct sg_error err;
	size_t n, at;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, NULL);
	b64_of(pub.key, SG_PUBLIC_KEY_BYTES, b64, sizeof(b64));
	n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b\n", pub.key_id, b64, text, sizeof(text));
	for (at = 0; at < n; at += 7) {
		char copy[1024];
		memcpy(copy, text, n);
		copy[at] = '\0';
		sg_error_clear(&err);
		rc = sg_public_key_parse(copy, n, &got, &err);
		assert_diag(rc, &err, SG_DIAG_KEY_FILE, "nul inside");
	}
	/* A NUL after the last newline. */
	text[n] = '\0';
	sg_error_clear(&err);
	rc = sg_public_key_parse(text, n + 1, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "nul at the end");
}

/* "the last newline optional"; Windows line ends are read too. */
static void test_parse_line_ends(void **state)
{
	char path[256], text[1024], b64[128];
	struct sg_public_key pub, got;
	struct sg_error err;
	size_t n;

	(void)state;
	new_pair(path, sizeof(path), &pub, NULL);
	b64_of(pub.key, SG_PUBLIC_KEY_BYTES, b64, sizeof(b64));
	n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	assert_int_equal(sg_public_key_parse(text, n, &got, &err), 0);
	assert_memory_equal(got.key, pub.key, SG_PUBLIC_KEY_BYTES);
	n = fill("shipgate ed25519 public key\r\nkey-id: %s\r\npublic: %b\r\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	assert_int_equal(sg_public_key_parse(text, n, &got, &err), 0);
	assert_string_equal(got.key_id, pub.key_id);
	/* The length given is the text: bytes beyond it are not read. */
	n = fill("shipgate ed25519 public key\nkey-id: %s\npublic: %b\nmore", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	assert_int_equal(sg_public_key_parse(text, n - 4, &got, &err), 0);
}

/* The secret key file: its halves must agree, its key id must be its own. */
static void test_secret_parse(void **state)
{
	char path[256], text[SG_KEY_FILE_MAX_BYTES + 1], b64[256];
	unsigned char bytes[SG_SECRET_KEY_BYTES];
	struct sg_public_key pub, other;
	struct sg_secret_key sec, got;
	struct sg_error err;
	size_t n;
	int rc;

	(void)state;
	new_pair(path, sizeof(path), &pub, &sec);
	n = read_file(path, text, sizeof(text));
	sg_error_clear(&err);
	assert_int_equal(sg_secret_key_parse(text, n, &got, &err), 0);
	assert_memory_equal(got.key, sec.key, SG_SECRET_KEY_BYTES);
	assert_string_equal(got.key_id, pub.key_id);
	sg_secret_key_wipe(&got);

	/* A public key file is not a secret key file. */
	snprintf(path + strlen(path), sizeof(path) - strlen(path), ".pub");
	n = read_file(path, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_secret_key_parse(text, n, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "public as secret");

	/* Halves that disagree: the public half of another key. */
	new_pair(path, sizeof(path), &other, NULL);
	memcpy(bytes, sec.key, SG_SECRET_KEY_BYTES);
	memcpy(bytes + 32, other.key, SG_PUBLIC_KEY_BYTES);
	b64_of(bytes, sizeof(bytes), b64, sizeof(b64));
	n = fill("shipgate ed25519 secret key\nkey-id: %s\nsecret: %b\n", pub.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_secret_key_parse(text, n, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "halves disagree");
	n = fill("shipgate ed25519 secret key\nkey-id: %s\nsecret: %b\n", other.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_secret_key_parse(text, n, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "halves disagree, other id");

	/* The right key under another key's id. */
	b64_of(sec.key, SG_SECRET_KEY_BYTES, b64, sizeof(b64));
	n = fill("shipgate ed25519 secret key\nkey-id: %s\nsecret: %b\n", other.key_id, b64, text, sizeof(text));
	sg_error_clear(&err);
	rc = sg_secret_key_parse(text, n, &got, &err);
	assert_diag(rc, &err, SG_DIAG_KEY_FILE, "secret key-id mismatch");
	/* A failed parse leaves no key material behind. */
	{
		static const struct sg_secret_key zero;
		assert_memory_equal(&got, &zero, sizeof(got));
	}
	sodium_memzero(bytes, sizeof(bytes));
	sodium_memzero(text, sizeof(text));
	sodium_memzero(b64, sizeof(b64));
	sg_secret_key_wipe(&sec);
}

/* The signature file: format, then parse, gives the same signature. */
static void test_signature_file_round_trip(void **state)
{
	char path[256], sig_path[256], text[SG_SIGNATURE_TEXT_BYTES];
	struct sg_public_key pub;
	struct sg_secret_key sec;
	struct sg_signature sig, got;
	struct sg_error err;

	(void)state;
	new_pair(path, sizeof(path), &pub, &sec);
	sg_sign(&sec, "message", 7, &sig);
	assert_string_equal(sig.key_id, pub.key_id);
	sg_signature_format(&sig, text);
	assert_true(strncmp(text, "shipgate ed25519 signature\nkey-id: ", 35) == 0);
	assert_int_equal(text[strlen(text) - 1], '\n');
	sg_error_clear(&err);
	assert_int_equal(sg_signature_parse(text, strlen(text), &got, &err), 0);
	assert_string_equal(got.key_id, sig.key_id);
	assert_memory_equal(got.sig, sig.sig, SG_SIGNATURE_BYTES);

	temp_path("sig", sig_path, sizeof(sig_path));
	write_file(sig_path, 0644, text, strlen(text));
	memset(&got, 0, sizeof(got));
	sg_error_clear(&err);
	assert_int_equal(sg_signature_read(sig_path, &got, &err), 0);
	assert_memory_equal(got.sig, sig.sig, SG_SIGNATURE_BYTES);
	assert_int_equal(sg_verify(pub.key, "message", 7, got.sig), 0);
	sg_secret_key_wipe(&sec);
}

/* ---- signing and verifying ---- */

static void test_sign_verify(void **state)
{
	static const char msg[] = "shipgate-exception-approval-v1\nid: 1\n";
	char path[256];
	unsigned char copy[sizeof(msg)], bad[SG_SIGNATURE_BYTES];
	struct sg_public_key pub, other;
	struct sg_secret_key sec;
	struct sg_signature sig;
	size_t i;

	(void)state;
	new_pair(path, sizeof(path), &pub, &sec);
	new_pair(path, sizeof(path), &other, NULL);
	sg_sign(&sec, msg, sizeof(msg) - 1, &sig);
	assert_int_equal(sg_verify(pub.key, msg, sizeof(msg) - 1, sig.sig), 0);
	/* Another key, another length, any flipped byte: refused. */
	assert_int_equal(sg_verify(other.key, msg, sizeof(msg) - 1, sig.sig), -1);
	assert_int_equal(sg_verify(pub.key, msg, sizeof(msg) - 2, sig.sig), -1);
	assert_int_equal(sg_verify(pub.key, msg, sizeof(msg), sig.sig), -1);
	for (i = 0; i < sizeof(msg) - 1; i++) {
		memcpy(copy, msg, sizeof(msg));
		copy[i] ^= 0x01;
		assert_int_equal(sg_verify(pub.key, copy, sizeof(msg) - 1, sig.sig), -1);
	}
	for (i = 0; i < SG_SIGNATURE_BYTES; i++) {
		memcpy(bad, sig.sig, SG_SIGNATURE_BYTES);
		bad[i] ^= 0x80;
		assert_int_equal(sg_verify(pub.key, msg, sizeof(msg) - 1, bad), -1);
	}
	/* Ed25519 is deterministic: the same message, the same signature. */
	{
		struct sg_signature again;
		sg_sign(&sec, msg, sizeof(msg) - 1, &again);
		assert_memory_equal(again.sig, sig.sig, SG_SIGNATURE_BYTES);
	}
	/* An empty message can be signed too. */
	sg_sign(&sec, "", 0, &sig);
	assert_int_equal(sg_verify(pub.key, "", 0, sig.sig), 0);
	assert_int_equal(sg_verify(pub.key, "x", 1, sig.sig), -1);
	sg_secret_key_wipe(&sec);
}

/* ---- an exception's approval ---- */

struct approved {
	struct sg_public_key pub, other;
	struct sg_secret_key sec;
	struct sg_signature sig;
	struct sg_exception e;
};

/* A rule-scope exception of product "shop", signed by its approver. */
static void make_approved(struct approved *a)
{
	char path[256];
	struct sg_buf text;

	memset(a, 0, sizeof(*a));
	new_pair(path, sizeof(path), &a->pub, &a->sec);
	new_pair(path, sizeof(path), &a->other, NULL);
	a->e.id = 12;
	a->e.scope = SG_SCOPE_RULE;
	a->e.tool = "Flawfinder";
	a->e.rule = "FF1004";
	a->e.product_id = 1;
	a->e.product = "shop";
	a->e.reason = "input is a compile-time constant";
	a->e.expires_on = "2026-01-31";
	a->e.expires_at = (time_t)1769817600;
	a->e.requester = "ana";
	a->e.requested_at = NOW;
	sg_buf_init(&text, 1 << 16);
	assert_int_equal(sg_exception_signing_text(&a->e, &text), 0);
	sg_sign(&a->sec, text.data, text.len, &a->sig);
	sg_buf_release(&text);
	a->e.approver = "carol";
	a->e.approver_key_id = a->pub.key_id;
	a->e.signature = a->sig.sig;
	a->e.signature_len = SG_SIGNATURE_BYTES;
	a->e.approver_public_key = a->pub.key;
	a->e.approved_at = NOW + 60;
	sg_secret_key_wipe(&a->sec);
}

static void assert_refused(const struct sg_exception *e, const char *what, const char *why_has)
{
	char why[512];

	why[0] = '\0';
	if (sg_exception_verify(e, why, sizeof(why)) != -1)
		fail_msg("%s: the approval verifies", what);
	if (why[0] == '\0' || !strstr(why, "exception 12"))
		fail_msg("%s: no reason (\"%s\")", what, why);
	if (why_has && !strstr(why, why_has))
		fail_msg("%s: the reason \"%s\" does not say \"%s\"", what, why, why_has);
}

static void test_exception_verify(void **state)
{
	struct approved a;
	struct sg_exception e;
	char why[512];

	(void)state;
	make_approved(&a);
	why[0] = '\0';
	assert_int_equal(sg_exception_verify(&a.e, why, sizeof(why)), 0);

	/* Any signed field altered after approval. */
	e = a.e;
	e.reason = "input is a compile-time constant!";
	assert_refused(&e, "reason", "does not verify");
	e = a.e;
	e.expires_on = "2027-01-31";
	assert_refused(&e, "expires_on", "does not verify");
	e = a.e;
	e.product = "web";
	assert_refused(&e, "product", NULL);
	e = a.e;
	e.product = NULL;
	e.product_id = 0;
	assert_refused(&e, "every product", NULL);
	e = a.e;
	e.tool = "Semgrep";
	assert_refused(&e, "tool", NULL);
	e = a.e;
	e.rule = "FF1005";
	assert_refused(&e, "rule", NULL);
	e = a.e;
	e.scope = SG_SCOPE_COMPONENT;
	assert_refused(&e, "scope", NULL);
	e = a.e;
	e.id = 13;
	why[0] = '\0';
	assert_int_equal(sg_exception_verify(&e, why, sizeof(why)), -1);
	e = a.e;
	e.requester = "mallory";
	assert_refused(&e, "requester", NULL);
	e = a.e;
	e.requested_at = NOW + 1;
	assert_refused(&e, "requested_at", NULL);

	/* Another key, or no key, or no signature. */
	e = a.e;
	e.approver_public_key = a.other.key;
	assert_refused(&e, "another key", "carol");
	e = a.e;
	e.approver_public_key = NULL;
	assert_refused(&e, "key gone", "not registered");
	e = a.e;
	e.signature = NULL;
	assert_refused(&e, "no signature", NULL);
	e = a.e;
	e.signature_len = SG_SIGNATURE_BYTES - 1;
	assert_refused(&e, "short signature", NULL);
	e = a.e;
	e.approver = NULL;
	assert_refused(&e, "not approved", "not approved");
	{
		unsigned char flipped[SG_SIGNATURE_BYTES];
		memcpy(flipped, a.sig.sig, SG_SIGNATURE_BYTES);
		flipped[10] ^= 1;
		e = a.e;
		e.signature = flipped;
		assert_refused(&e, "flipped signature", "does not verify");
	}

	/* The approval's own fields are not signed: who and when it was
	 * recorded does not break it. */
	e = a.e;
	e.approved_at = NOW + 3600;
	assert_int_equal(sg_exception_verify(&e, why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_files),
		cmocka_unit_test(test_generate_differs),
		cmocka_unit_test(test_generate_refuses_existing),
		cmocka_unit_test(test_secret_key_mode),
		cmocka_unit_test(test_symlink_refused),
		cmocka_unit_test(test_not_a_file),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_public_parse_rejects),
		cmocka_unit_test(test_parse_wrong_length),
		cmocka_unit_test(test_parse_nul_byte),
		cmocka_unit_test(test_parse_line_ends),
		cmocka_unit_test(test_secret_parse),
		cmocka_unit_test(test_signature_file_round_trip),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_exception_verify),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
