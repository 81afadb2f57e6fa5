#include "evidence/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/hash.h"

#define SECRET_HEADER "shipgate ed25519 secret key"
#define PUBLIC_HEADER "shipgate ed25519 public key"
#define SIGNATURE_HEADER "shipgate ed25519 signature"

void sg_key_id(const unsigned char key[SG_PUBLIC_KEY_BYTES], char out[SG_KEY_ID_TEXT])
{
	static const char domain[] = "shipgate key id v1";
	unsigned char digest[SG_DIGEST_BYTES];
	struct sg_rhash h;

	sg_rhash_init(&h);
	sg_rhash_text(&h, domain);
	sg_rhash_blob(&h, key, SG_PUBLIC_KEY_BYTES);
	sg_rhash_final(&h, digest);
	sg_hex(digest, 8, out);
}

/* ---- reading: one small regular file, no symlink followed ---- */

static int read_small_file(const char *path, const char *what, int secret, char *out, size_t *len,
			   struct sg_error *err)
{
	struct stat st;
	ssize_t n;
	size_t used = 0;
	int fd;

	/* Flawfinder: ignore (O_NOFOLLOW, then fstat: a regular file only) */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		sg_error_where(err, path);
		if (errno == ELOOP)
			return sg_error_set(err, SG_DIAG_FILE_OPEN,
					    "%s is a symbolic link; give the file itself", what);
		return sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open %s: %s", what, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_FILE_OPEN, "%s is not a regular file", what);
	}
	if (secret && (st.st_mode & 077)) {
		close(fd);
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_KEY_FILE,
				    "private key is accessible to others (mode %04o): chmod 600 it",
				    (unsigned)(st.st_mode & 07777));
	}
	if (st.st_size > SG_KEY_FILE_MAX_BYTES) {
		close(fd);
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "%s is larger than %d bytes", what,
				    SG_KEY_FILE_MAX_BYTES);
	}
	for (;;) {
		/* Flawfinder: ignore (bounded by the buffer's remaining room) */
		n = read(fd, out + used, SG_KEY_FILE_MAX_BYTES + 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			sg_error_where(err, path);
			return sg_error_set(err, SG_DIAG_FILE_READ, "cannot read %s: %s", what, strerror(errno));
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > SG_KEY_FILE_MAX_BYTES) {
			close(fd);
			sg_error_where(err, path);
			return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "%s is larger than %d bytes", what,
					    SG_KEY_FILE_MAX_BYTES);
		}
	}
	close(fd);
	out[used] = '\0';
	*len = used;
	return 0;
}

/* ---- parsing: exactly three lines, the last newline optional ---- */

struct lines {
	const char *line[3];
	size_t len[3];
};

static int split_lines(const char *text, size_t len, struct lines *out, const char *what,
		       struct sg_error *err)
{
	size_t i, start = 0;
	int n = 0;

	if (len > 0 && text[len - 1] == '\n')
		len--;
	for (i = 0; i <= len; i++) {
		if (i < len && text[i] == '\0')
			return sg_error_set(err, SG_DIAG_KEY_FILE, "%s holds a NUL byte", what);
		if (i == len || text[i] == '\n') {
			if (n == 3)
				return sg_error_set(err, SG_DIAG_KEY_FILE, "%s has more than 3 lines", what);
			out->line[n] = text + start;
			out->len[n] = i - start;
			if (out->len[n] && out->line[n][out->len[n] - 1] == '\r')
				out->len[n]--;
			n++;
			start = i + 1;
		}
	}
	if (n != 3)
		return sg_error_set(err, SG_DIAG_KEY_FILE, "%s must have 3 lines, not %d", what, n);
	return 0;
}

static int line_is(const struct lines *l, int i, const char *text)
{
	return l->len[i] == strlen(text) && memcmp(l->line[i], text, l->len[i]) == 0;
}

/* "name: value" -> value */
static int field(const struct lines *l, int i, const char *name, const char **value, size_t *vlen,
		 const char *what, struct sg_error *err)
{
	size_t n = strlen(name);

	if (l->len[i] < n + 2 || memcmp(l->line[i], name, n) != 0 || l->line[i][n] != ':' ||
	    l->line[i][n + 1] != ' ')
		return sg_error_set(err, SG_DIAG_KEY_FILE, "line %d of %s must start with \"%s: \"", i + 1,
				    what, name);
	*value = l->line[i] + n + 2;
	*vlen = l->len[i] - n - 2;
	return 0;
}

static int parse_common(const char *text, size_t len, const char *header, const char *value_name,
			unsigned char *bytes, size_t nbytes, char key_id[SG_KEY_ID_TEXT], const char *what,
			struct sg_error *err)
{
	struct lines l;
	const char *v;
	size_t vlen, decoded = 0;
	char b64[200];
	int rc, i;

	if ((rc = split_lines(text, len, &l, what, err)))
		return rc;
	if (!line_is(&l, 0, header))
		return sg_error_set(err, SG_DIAG_KEY_FILE, "%s does not start with \"%s\"", what, header);
	if ((rc = field(&l, 1, "key-id", &v, &vlen, what, err)))
		return rc;
	if (vlen != SG_KEY_ID_TEXT - 1)
		return sg_error_set(err, SG_DIAG_KEY_FILE, "the key-id of %s must be 16 hex digits", what);
	for (i = 0; i < SG_KEY_ID_TEXT - 1; i++) {
		if (sg_hex_value(v[i]) < 0 || (v[i] >= 'A' && v[i] <= 'F'))
			return sg_error_set(err, SG_DIAG_KEY_FILE, "the key-id of %s must be 16 lower-case hex digits", what);
		key_id[i] = v[i];
	}
	key_id[SG_KEY_ID_TEXT - 1] = '\0';
	if ((rc = field(&l, 2, value_name, &v, &vlen, what, err)))
		return rc;
	if (vlen >= sizeof(b64))
		return sg_error_set(err, SG_DIAG_KEY_FILE, "the %s of %s is too long", value_name, what);
	memcpy(b64, v, vlen);
	b64[vlen] = '\0';
	if (sodium_base642bin(bytes, nbytes, b64, vlen, NULL, &decoded, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    decoded != nbytes) {
		sodium_memzero(b64, sizeof(b64));
		return sg_error_set(err, SG_DIAG_KEY_FILE, "the %s of %s is not base64 of %zu bytes",
				    value_name, what, nbytes);
	}
	sodium_memzero(b64, sizeof(b64));
	return 0;
}

int sg_public_key_parse(const char *text, size_t len, struct sg_public_key *out, struct sg_error *err)
{
	char derived[SG_KEY_ID_TEXT];
	int rc = parse_common(text, len, PUBLIC_HEADER, "public", out->key, SG_PUBLIC_KEY_BYTES,
			      out->key_id, "the public key file", err);

	if (rc)
		return rc;
	sg_key_id(out->key, derived);
	if (strcmp(derived, out->key_id) != 0)
		return sg_error_set(err, SG_DIAG_KEY_FILE,
				    "the public key file says key-id %s but its key has id %s: the file was altered",
				    out->key_id, derived);
	return 0;
}

int sg_secret_key_parse(const char *text, size_t len, struct sg_secret_key *out, struct sg_error *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char derived[SG_KEY_ID_TEXT];
	int rc = parse_common(text, len, SECRET_HEADER, "secret", out->key, SG_SECRET_KEY_BYTES,
			      out->key_id, "the private key file", err);

	if (rc) {
		sg_secret_key_wipe(out);
		return rc;
	}
	/* The seed (first half) must give the public half (second half). */
	crypto_sign_seed_keypair(pk, sk, out->key);
	rc = sodium_memcmp(sk, out->key, sizeof(sk));
	sodium_memzero(sk, sizeof(sk));
	if (rc != 0) {
		sg_secret_key_wipe(out);
		return sg_error_set(err, SG_DIAG_KEY_FILE, "the private key file is damaged: its halves disagree");
	}
	sg_key_id(pk, derived);
	if (strcmp(derived, out->key_id) != 0) {
		sg_error_set(err, SG_DIAG_KEY_FILE,
			     "the private key file says key-id %s but its key has id %s: the file was altered",
			     out->key_id, derived);
		sg_secret_key_wipe(out);
		return err->code;
	}
	return 0;
}

int sg_signature_parse(const char *text, size_t len, struct sg_signature *out, struct sg_error *err)
{
	return parse_common(text, len, SIGNATURE_HEADER, "signature", out->sig, SG_SIGNATURE_BYTES,
			    out->key_id, "the signature file", err);
}

int sg_public_key_read(const char *path, struct sg_public_key *out, struct sg_error *err)
{
	char text[SG_KEY_FILE_MAX_BYTES + 1];
	size_t len = 0;
	int rc = read_small_file(path, "the public key file", 0, text, &len, err);

	if (!rc && (rc = sg_public_key_parse(text, len, out, err)))
		sg_error_where(err, path);
	return rc;
}

int sg_secret_key_read(const char *path, struct sg_secret_key *out, struct sg_error *err)
{
	char text[SG_KEY_FILE_MAX_BYTES + 1];
	size_t len = 0;
	int rc = read_small_file(path, "the private key file", 1, text, &len, err);

	if (!rc && (rc = sg_secret_key_parse(text, len, out, err)))
		sg_error_where(err, path);
	sodium_memzero(text, sizeof(text));
	return rc;
}

int sg_signature_read(const char *path, struct sg_signature *out, struct sg_error *err)
{
	char text[SG_KEY_FILE_MAX_BYTES + 1];
	size_t len = 0;
	int rc = read_small_file(path, "the signature file", 0, text, &len, err);

	if (!rc && (rc = sg_signature_parse(text, len, out, err)))
		sg_error_where(err, path);
	return rc;
}

void sg_secret_key_wipe(struct sg_secret_key *key)
{
	sodium_memzero(key, sizeof(*key));
}

/* ---- writing ---- */

static int write_new_file(const char *path, mode_t mode, const char *text, struct sg_error *err)
{
	size_t len = strlen(text), done = 0;
	ssize_t n;
	int fd;

	/* Flawfinder: ignore (O_EXCL|O_NOFOLLOW: creates a new file, never reuses one) */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		sg_error_where(err, path);
		if (errno == EEXIST)
			return sg_error_set(err, SG_DIAG_CONFLICT, "the file exists already; shipgate never overwrites a key");
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot create the file: %s", strerror(errno));
	}
	errno = 0;
	while (done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (done < len || fsync(fd) != 0) {
		int e = done < len && errno == 0 ? EIO : errno;
		close(fd);
		unlink(path);
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the file: %s", strerror(e));
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(path);
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the file: %s", strerror(e));
	}
	return 0;
}

int sg_key_generate(const char *path, struct sg_public_key *out, struct sg_error *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
	char text[400], pub_path[4200];
	int rc;

	if (strlen(path) + 5 > sizeof(pub_path))
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--out is too long");
	snprintf(pub_path, sizeof(pub_path), "%s.pub", path);
	crypto_sign_keypair(pk, sk);
	sg_key_id(pk, out->key_id);
	memcpy(out->key, pk, sizeof(pk));

	sodium_bin2base64(b64, sizeof(b64), sk, sizeof(sk), sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof(text), "%s\nkey-id: %s\nsecret: %s\n", SECRET_HEADER, out->key_id, b64);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(b64, sizeof(b64));
	rc = write_new_file(path, 0600, text, err);
	sodium_memzero(text, sizeof(text));
	if (rc)
		return rc;
	sodium_bin2base64(b64, sizeof(b64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof(text), "%s\nkey-id: %s\npublic: %s\n", PUBLIC_HEADER, out->key_id, b64);
	rc = write_new_file(pub_path, 0644, text, err);
	if (rc)
		unlink(path); /* half a pair is no use */
	return rc;
}

void sg_signature_format(const struct sg_signature *sig, char out[SG_SIGNATURE_TEXT_BYTES])
{
	char b64[sodium_base64_ENCODED_LEN(SG_SIGNATURE_BYTES, sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof(b64), sig->sig, SG_SIGNATURE_BYTES, sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, SG_SIGNATURE_TEXT_BYTES, "%s\nkey-id: %s\nsignature: %s\n", SIGNATURE_HEADER, sig->key_id,
		 b64);
}

_Static_assert(SG_SIGNATURE_B64_BYTES == sodium_base64_ENCODED_LEN(SG_SIGNATURE_BYTES, sodium_base64_VARIANT_ORIGINAL),
	       "base64 of a signature");

void sg_signature_b64(const unsigned char sig[SG_SIGNATURE_BYTES], char out[SG_SIGNATURE_B64_BYTES])
{
	sodium_bin2base64(out, SG_SIGNATURE_B64_BYTES, sig, SG_SIGNATURE_BYTES, sodium_base64_VARIANT_ORIGINAL);
}

void sg_sign(const struct sg_secret_key *key, const void *msg, size_t len, struct sg_signature *out)
{
	memcpy(out->key_id, key->key_id, SG_KEY_ID_TEXT);
	crypto_sign_detached(out->sig, NULL, msg, len, key->key);
}

int sg_verify(const unsigned char key[SG_PUBLIC_KEY_BYTES], const void *msg, size_t len,
	      const unsigned char sig[SG_SIGNATURE_BYTES])
{
	return crypto_sign_verify_detached(sig, msg, len, key) == 0 ? 0 : -1;
}

int sg_exception_verify(const struct sg_exception *e, char *why, size_t why_size)
{
	struct sg_buf text;
	int rc;

	if (!e->approver) {
		snprintf(why, why_size, "exception %lld is not approved", e->id);
		return -1;
	}
	if (!e->signature || e->signature_len != SG_SIGNATURE_BYTES) {
		snprintf(why, why_size, "exception %lld has no valid approval signature", e->id);
		return -1;
	}
	if (!e->approver_public_key) {
		snprintf(why, why_size, "exception %lld: key %s of approver %s is not registered", e->id,
			 e->approver_key_id ? e->approver_key_id : "?", e->approver);
		return -1;
	}
	sg_buf_init(&text, SG_SIGNED_MAX_BYTES);
	if (sg_exception_signing_text(e, &text) != 0) {
		sg_buf_release(&text);
		snprintf(why, why_size, "exception %lld: out of memory", e->id);
		return -1;
	}
	rc = sg_verify(e->approver_public_key, text.data, text.len, e->signature);
	sg_buf_release(&text);
	if (rc != 0)
		snprintf(why, why_size,
			 "exception %lld: the approval signature does not verify against key %s of %s "
			 "(the exception was altered after approval, or the signature forged)",
			 e->id, e->approver_key_id ? e->approver_key_id : "?", e->approver);
	return rc;
}
