/*
 * sca/vulndb_source: where `vulndb import` reads OSV records from - a
 * directory tree, one file, or a zip archive such as OSV's all.zip.
 * Archives and trees are hostile input: the zips here are written at test
 * time with libarchive's writer (and patched where a header must lie), and
 * each unsafe one must be refused with its diagnostic id before any harm
 * (a bomb is stopped within its first MiBs, a lying header does not raise
 * the per-record cap, nothing outside a tree is followed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sca/vulndb_source.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

#define CORPUS "../shared/corpus/osv"

static char tmpdir[128];
static unsigned case_counter;

/* ---- the recording callback ---- */

#define MAX_REC 32

struct recorder {
	int n;
	char where[MAX_REC][600];
	char data[MAX_REC][64]; /* the first bytes */
	size_t len[MAX_REC];
	int stop_at;            /* fail on this record (1-based); 0: never */
	long long calls;
	long long not_json;     /* records whose first non-space byte is not '{' */
};

static int record(void *ctx, const char *where, const char *data, size_t len, struct sg_error *err)
{
	struct recorder *r = ctx;
	size_t i;

	r->calls++;
	for (i = 0; i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'); i++)
		;
	if (i == len || data[i] != '{')
		r->not_json++;
	if (r->n < MAX_REC) {
		snprintf(r->where[r->n], sizeof(r->where[r->n]), "%s", where);
		snprintf(r->data[r->n], sizeof(r->data[r->n]), "%.*s", (int)(len < 63 ? len : 63), data);
		r->len[r->n] = len;
		r->n++;
	}
	if (r->stop_at && r->calls == r->stop_at)
		return sg_error_set(err, SG_DIAG_OSV_INVALID, "stop here");
	return 0;
}

static int read_source(const char *path, struct recorder *r, long long *n, struct sg_error *err)
{
	sg_error_clear(err);
	*n = -1;
	return sg_vulndb_source_read(path, record, r, n, err);
}

/* ---- files and directories ---- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-test-vulndb-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	if (tmpdir[0])
		nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* A path in the temporary directory, unique to this call. */
static void temp_path(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%u-%s", tmpdir, ++case_counter, name);
}

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *path)
{
	assert_int_equal(mkdir(path, 0755), 0);
}

static void join(char *out, size_t size, const char *dir, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

/* ---- zips, written with libarchive ---- */

enum fill { FILL_DATA, FILL_SPACES, FILL_RANDOM };

struct zent {
	const char *name;
	const char *data;    /* FILL_DATA */
	enum fill fill;
	size_t len;          /* for FILL_SPACES / FILL_RANDOM */
	int type;            /* 0: a regular file */
	const char *link;    /* AE_IFLNK */
};

/* Pseudo-random lower-case letters: compresses about 1.6:1, far from a bomb. */
static void fill_random(char *buf, size_t len, uint32_t *seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		*seed ^= *seed << 13;
		*seed ^= *seed >> 17;
		*seed ^= *seed << 5;
		buf[i] = (char)('a' + *seed % 26);
	}
}

static void write_entry(struct archive *a, const struct zent *z)
{
	static char chunk[1 << 16];
	struct archive_entry *e = archive_entry_new();
	uint32_t seed = 2463534242u;
	size_t left, n;
	int type = z->type ? z->type : (int)AE_IFREG;

	assert_non_null(e);
	archive_entry_set_pathname(e, z->name);
	archive_entry_set_filetype(e, (unsigned)type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, z->link);
	if (type == AE_IFREG)
		archive_entry_set_size(e, (la_int64_t)(z->fill == FILL_DATA ? strlen(z->data) : z->len));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (type == AE_IFREG && z->fill == FILL_DATA) {
		assert_int_equal(archive_write_data(a, z->data, strlen(z->data)), (la_ssize_t)strlen(z->data));
	} else if (type == AE_IFREG) {
		if (z->fill == FILL_SPACES)
			memset(chunk, ' ', sizeof(chunk));
		for (left = z->len; left; left -= n) {
			n = left < sizeof(chunk) ? left : sizeof(chunk);
			if (z->fill == FILL_RANDOM)
				fill_random(chunk, n, &seed);
			assert_int_equal(archive_write_data(a, chunk, n), (la_ssize_t)n);
		}
	}
	archive_entry_free(e);
}

/* Returns 0, or -1 when this libarchive cannot write the encryption asked for. */
static int make_zip_with(const char *path, const struct zent *z, size_t n, int store, const char *passphrase)
{
	struct archive *a = archive_write_new();
	size_t i;

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	if (store)
		assert_int_equal(archive_write_zip_set_compression_store(a), ARCHIVE_OK);
	else
		assert_int_equal(archive_write_zip_set_compression_deflate(a), ARCHIVE_OK);
	if (passphrase) {
		if (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
		    archive_write_set_passphrase(a, passphrase) != ARCHIVE_OK) {
			archive_write_free(a);
			return -1;
		}
	}
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++)
		write_entry(a, &z[i]);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return 0;
}

static void make_zip(const char *path, const struct zent *z, size_t n)
{
	assert_int_equal(make_zip_with(path, z, n, 0, NULL), 0);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	buf = sg_malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

static void spit(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned get_le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* Make the zip's headers lie: entry `name` declares `size` uncompressed
 * bytes, in the central directory and in its local header (both, so that
 * they agree with each other and only the data contradicts them). */
static void patch_declared_size(const char *path, const char *name, uint32_t size)
{
	size_t len, i, name_len = strlen(name);
	unsigned char *z = slurp(path, &len);
	int patched = 0;

	for (i = 0; i + 46 <= len; i++) {
		uint32_t local;

		if (memcmp(z + i, "PK\001\002", 4) != 0 || get_le16(z + i + 28) != name_len ||
		    i + 46 + name_len > len || memcmp(z + i + 46, name, name_len) != 0)
			continue;
		put_le32(z + i + 24, size);
		local = get_le32(z + i + 42);
		assert_true(local + 30 <= len);
		assert_memory_equal(z + local, "PK\003\004", 4);
		if (get_le32(z + local + 22) != 0)
			put_le32(z + local + 22, size);
		patched = 1;
	}
	assert_true(patched);
	spit(path, z, len);
	sg_free(z);
}

/* Set the UTF-8 name flag (general purpose bit 11) on every entry. */
static void patch_utf8_flag(const char *path)
{
	size_t len, i;
	unsigned char *z = slurp(path, &len);

	for (i = 0; i + 46 <= len; i++) {
		if (memcmp(z + i, "PK\003\004", 4) == 0)
			z[i + 7] |= 0x08;
		else if (memcmp(z + i, "PK\001\002", 4) == 0)
			z[i + 9] |= 0x08;
	}
	spit(path, z, len);
	sg_free(z);
}

/* ---- zips that are fine ---- */

static const char REC1[] = "{\"id\":\"GHSA-1111-2222-3333\"}";
static const char REC2[] = "{\"id\":\"PYSEC-2024-1\",\"summary\":\"two\"}";
static const char REC3[] = "{\"id\":\"GO-2024-0003\"}\n";

static void test_zip_nested(void **state)
{
	char zip[256], want[600];
	struct zent z[] = {
		{.name = "osv/", .type = AE_IFDIR},
		{.name = "osv/PyPI/", .type = AE_IFDIR},
		{.name = "osv/PyPI/PYSEC-2024-1.json", .data = REC2},
		{.name = "osv/README.md", .data = "not a record"},
		{.name = "osv/Go/deeper/GO-2024-0003.json", .data = REC3},
		{.name = "GHSA-1111-2222-3333.json", .data = REC1},
		{.name = "osv/PyPI/notes.json.txt", .data = "not a record either"},
	};
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("nested.zip", zip, sizeof(zip));
	make_zip(zip, z, sizeof(z) / sizeof(z[0]));
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(zip, &r, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(r.n, 3);
	/* In archive order, each named archive:entry, the bytes exact. */
	snprintf(want, sizeof(want), "%s:osv/PyPI/PYSEC-2024-1.json", zip);
	assert_string_equal(r.where[0], want);
	assert_string_equal(r.data[0], REC2);
	assert_int_equal(r.len[0], strlen(REC2));
	snprintf(want, sizeof(want), "%s:osv/Go/deeper/GO-2024-0003.json", zip);
	assert_string_equal(r.where[1], want);
	assert_string_equal(r.data[1], REC3);
	snprintf(want, sizeof(want), "%s:GHSA-1111-2222-3333.json", zip);
	assert_string_equal(r.where[2], want);
	assert_string_equal(r.data[2], REC1);
}

/* A zip is known by its first bytes too, whatever its name. */
static void test_zip_by_magic(void **state)
{
	char zip[256];
	struct zent z[] = {{.name = "a.json", .data = REC1}, {.name = "b.json", .data = REC2}};
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("download.bin", zip, sizeof(zip));
	make_zip(zip, z, 2);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(zip, &r, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.data[1], REC2);
}

static void test_zip_empty_archive(void **state)
{
	char zip[256];
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("empty.zip", zip, sizeof(zip));
	make_zip(zip, NULL, 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(zip, &r, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(r.calls, 0);
}

/* ---- zips that are refused ---- */

static void expect_refused(const char *zip, enum sg_diag diag, long long max_calls)
{
	struct recorder r;
	struct sg_error err;
	long long n;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = read_source(zip, &r, &n, &err);
	if (err.diag != diag)
		fail_msg("%s: got %s (%s), want %s", zip, sg_diag_id(err.diag), err.message, sg_diag_id(diag));
	assert_int_equal(rc, sg_diag_code(diag));
	/* The error names the archive (and the entry, when there is one). */
	assert_memory_equal(err.where, zip, strlen(zip));
	assert_true(r.calls <= max_calls);
	assert_int_equal(n, r.calls);
}

static void test_zip_unsafe_names(void **state)
{
	static const char *names[] = {
		"../evil.json",    "/abs.json",           "dir/a\\b.json", "..\\evil.json",
		"osv/../../up.json", "osv/..",            "ctl\001name.json", "new\nline.json",
		"del\177.json",    "C:/windows.json",     "latin1-\xe9t\xe9.json",
	};
	char zip[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* A good record first: the bad name is refused when it comes. */
		struct zent z[] = {{.name = "good.json", .data = REC1}, {.name = names[i], .data = REC2}};
		struct recorder r;
		struct sg_error err;
		long long n;

		temp_path("unsafe.zip", zip, sizeof(zip));
		make_zip(zip, z, 2);
		memset(&r, 0, sizeof(r));
		assert_int_equal(read_source(zip, &r, &n, &err), SG_EINPUT);
		if (err.diag != SG_DIAG_ARCHIVE_UNSAFE)
			fail_msg("name %zu: got %s (%s)", i, sg_diag_id(err.diag), err.message);
		assert_string_equal(err.where, zip);
		assert_int_equal(r.calls, 1);
		/* The message shows no raw control byte. */
		assert_null(strpbrk(err.message, "\001\n\177"));
	}
}

/* Names that look odd but are safe. A name with backslashes and no slash
 * is a Windows path: libarchive turns its backslashes into slashes (so
 * "..\\evil.json" above is refused for its ".."). */
static void test_zip_odd_but_safe_names(void **state)
{
	char zip[256], want[600];
	struct zent z[] = {
		{.name = "./dot/GHSA-a.json", .data = REC1},
		{.name = "x..y/..GHSA-b.json", .data = REC2},
		{.name = "caf\xc3\xa9/GHSA-c.json", .data = REC3},
		{.name = "win\\GHSA-d.json", .data = REC1},
	};
	struct recorder r;
	struct sg_error err;
	long long n;
	int flagged;

	(void)state;
	/* Without and with the UTF-8 flag (general purpose bit 11): a
	 * flagged name is decoded as UTF-8 whatever the locale. */
	for (flagged = 0; flagged < 2; flagged++) {
		temp_path("odd.zip", zip, sizeof(zip));
		make_zip(zip, z, 4);
		if (flagged)
			patch_utf8_flag(zip);
		memset(&r, 0, sizeof(r));
		if (read_source(zip, &r, &n, &err) != 0)
			fail_msg("%s: %s: %s", err.where, sg_diag_id(err.diag), err.message);
		assert_int_equal(n, 4);
		snprintf(want, sizeof(want), "%s:x..y/..GHSA-b.json", zip);
		assert_string_equal(r.where[1], want);
		snprintf(want, sizeof(want), "%s:caf\xc3\xa9/GHSA-c.json", zip);
		assert_string_equal(r.where[2], want);
		snprintf(want, sizeof(want), "%s:win/GHSA-d.json", zip);
		assert_string_equal(r.where[3], want);
	}
}

static void test_zip_symlink_entry(void **state)
{
	char zip[256];
	struct zent z[] = {
		{.name = "link.json", .type = AE_IFLNK, .link = "/etc/passwd"},
		{.name = "after.json", .data = REC1},
	};

	(void)state;
	temp_path("symlink.zip", zip, sizeof(zip));
	make_zip(zip, z, 2);
	expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
}

static void test_zip_encrypted_entry(void **state)
{
	char zip[256];
	struct zent z[] = {{.name = "secret.json", .data = REC1}};

	(void)state;
	temp_path("encrypted.zip", zip, sizeof(zip));
	if (make_zip_with(zip, z, 1, 0, "passw0rd") != 0)
		skip(); /* this libarchive was built without zip encryption */
	expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
}

/* 200 MiB of spaces in one entry (about 200 KiB compressed). Declared
 * honestly, it is refused from its header; with headers that claim 1000
 * bytes, the ratio stops it a little after 1 MiB came out, long before the
 * per-record cap. */
static void test_zip_bomb_one_entry(void **state)
{
	char zip[256];
	struct zent z[] = {{.name = "bomb.json", .fill = FILL_SPACES, .len = 200U << 20}};
	struct recorder r;
	struct sg_error err;
	struct timespec t0, t1;
	long long n;
	double secs;

	(void)state;
	temp_path("bomb.zip", zip, sizeof(zip));
	make_zip(zip, z, 1);
	expect_refused(zip, SG_DIAG_LIMIT_EXCEEDED, 0);

	patch_declared_size(zip, "bomb.json", 1000);
	memset(&r, 0, sizeof(r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(read_source(zip, &r, &n, &err), SG_EINPUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(r.calls, 0);
	/* err.offset is how far into the archive it had read: a few KiB of
	 * the ~200 KiB, that is a few MiB of output at most. */
	assert_true(err.offset > 0 && err.offset < (16 << 10));
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 2.0);
}

/* Many entries of 4 MiB of spaces, each below the per-record cap: only the
 * ratio stops them, and it does inside the first entry - no record reaches
 * the callback. The same when the entries are not even records (skipped
 * entries are metered too). */
static void test_zip_bomb_many_entries(void **state)
{
	static const char *prefix[] = {"b", "skip/b"}, *suffix[] = {".json", ".txt"};
	char zip[256], entry_names[16][32];
	struct zent z[16];
	int k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		memset(z, 0, sizeof(z));
		for (i = 0; i < 16; i++) {
			snprintf(entry_names[i], sizeof(entry_names[i]), "%s%02d%s", prefix[k], i, suffix[k]);
			z[i].name = entry_names[i];
			z[i].fill = FILL_SPACES;
			z[i].len = 4U << 20;
		}
		temp_path("bombs.zip", zip, sizeof(zip));
		make_zip(zip, z, 16);
		expect_refused(zip, SG_DIAG_LIMIT_EXCEEDED, 0);
	}
}

/* A bomb behind 4 MiB of barely compressible data: the archive as a whole
 * is far below the ratio, the bomb entry alone is not. */
static void test_zip_bomb_behind_data(void **state)
{
	char zip[256], want[600];
	struct zent z[] = {
		{.name = "padding.txt", .fill = FILL_RANDOM, .len = 4U << 20},
		{.name = "bomb.json", .fill = FILL_SPACES, .len = 4U << 20},
	};
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("padded-bomb.zip", zip, sizeof(zip));
	make_zip(zip, z, 2);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(zip, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(r.calls, 0);
	snprintf(want, sizeof(want), "%s:bomb.json", zip);
	assert_string_equal(err.where, want);
}

/* 17 MiB in one entry, honestly declared: refused from its header. Stored,
 * so the test writes no deflate work. */
static void test_zip_entry_over_cap(void **state)
{
	char zip[256];
	struct zent z[] = {
		{.name = "small.json", .data = REC1},
		{.name = "big.json", .fill = FILL_RANDOM, .len = SG_OSV_MAX_RECORD_BYTES + (1U << 20)},
	};

	(void)state;
	temp_path("big.zip", zip, sizeof(zip));
	assert_int_equal(make_zip_with(zip, z, 2, 1, NULL), 0);
	expect_refused(zip, SG_DIAG_LIMIT_EXCEEDED, 1);
}

/* The same entry with headers that claim 100 bytes: the cap holds on what
 * comes out, whatever the headers say. */
static void test_zip_header_lies_small(void **state)
{
	char zip[256], want[600];
	struct zent z[] = {
		{.name = "small.json", .data = REC1},
		{.name = "big.json", .fill = FILL_RANDOM, .len = SG_OSV_MAX_RECORD_BYTES + (1U << 20)},
	};
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("liar.zip", zip, sizeof(zip));
	assert_int_equal(make_zip_with(zip, z, 2, 1, NULL), 0);
	patch_declared_size(zip, "big.json", 100);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(zip, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(r.calls, 1);
	snprintf(want, sizeof(want), "%s:big.json", zip);
	assert_string_equal(err.where, want);
}

/* Headers that claim less (or more) than a small entry holds: libarchive's
 * size check at the end of the entry refuses it. */
static void test_zip_header_lies_within_cap(void **state)
{
	char zip[256];
	struct zent z[] = {{.name = "rec.json", .data = REC2}};
	uint32_t sizes[] = {5, 4000};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		temp_path("liar2.zip", zip, sizeof(zip));
		make_zip(zip, z, 1);
		patch_declared_size(zip, "rec.json", sizes[i]);
		expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
	}
}

static void test_zip_truncated(void **state)
{
	char zip[256];
	struct zent z[] = {
		{.name = "a.json", .data = REC1},
		{.name = "b.json", .fill = FILL_RANDOM, .len = 100000},
		{.name = "c.json", .data = REC3},
	};
	struct stat st;
	off_t cuts[3];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		temp_path("truncated.zip", zip, sizeof(zip));
		make_zip(zip, z, 3);
		assert_int_equal(stat(zip, &st), 0);
		cuts[0] = st.st_size / 2;  /* inside b.json's data */
		cuts[1] = st.st_size - 10; /* inside the end record */
		cuts[2] = 40;              /* inside the first entry */
		assert_int_equal(truncate(zip, cuts[i]), 0);
		/* Without its central directory nothing is read. */
		expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
	}
}

/* Damaged data: a flipped byte inside b.json's compressed data (bad CRC or
 * bad deflate stream), and a central directory that points b.json's local
 * header at garbage. a.json has gone through; the damage is refused. */
static void test_zip_corrupt(void **state)
{
	char zip[256];
	struct zent z[] = {
		{.name = "a.json", .data = REC1},
		{.name = "b.json", .fill = FILL_RANDOM, .len = 100000},
		{.name = "c.json", .data = REC3},
	};
	unsigned char *buf;
	size_t len, i;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		temp_path("corrupt.zip", zip, sizeof(zip));
		make_zip(zip, z, 3);
		buf = slurp(zip, &len);
		if (k == 0) {
			for (i = len / 3; i < len / 3 + 8; i++)
				buf[i] ^= 0x5a;
		} else {
			for (i = 0; i + 46 <= len; i++)
				if (memcmp(buf + i, "PK\001\002", 4) == 0 && memcmp(buf + i + 46, "b.json", 6) == 0)
					put_le32(buf + i + 42, get_le32(buf + i + 42) + 7);
		}
		spit(zip, buf, len);
		sg_free(buf);
		expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 1);
	}
}

static void test_zip_not_a_zip(void **state)
{
	char zip[256];

	(void)state;
	temp_path("text.zip", zip, sizeof(zip));
	write_file(zip, "this is not a zip archive\n");
	expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
	temp_path("zero.zip", zip, sizeof(zip));
	write_file(zip, "");
	expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
	/* A gzip stream named .zip: no other format or filter is enabled. */
	temp_path("gzip.zip", zip, sizeof(zip));
	write_file(zip, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00");
	expect_refused(zip, SG_DIAG_ARCHIVE_UNSAFE, 0);
}

static void test_zip_callback_stops(void **state)
{
	char zip[256], want[600];
	struct zent z[] = {
		{.name = "a.json", .data = REC1}, {.name = "b.json", .data = REC2}, {.name = "c.json", .data = REC3}};
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("stop.zip", zip, sizeof(zip));
	make_zip(zip, z, 3);
	memset(&r, 0, sizeof(r));
	r.stop_at = 2;
	assert_int_equal(read_source(zip, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_OSV_INVALID);
	assert_int_equal(r.calls, 2);
	assert_int_equal(n, 2);
	/* The callback set no place: the record's is filled in. */
	snprintf(want, sizeof(want), "%s:b.json", zip);
	assert_string_equal(err.where, want);
}

/* ---- directories and files ---- */

/*
 * root/
 *   z.json  notes.txt  .hidden/h.json  fifo.json (FIFO)  link.json -> z.json
 *   a/ y.json  .x.json  linkdir -> ../b (not followed)
 *   a/b/ x.json  c/w.json
 *   b/ v.json  data.JSON
 */
static void make_tree(char *root, size_t size)
{
	char p[512];

	temp_path("tree", root, size);
	make_dir(root);
	join(p, sizeof(p), root, "z.json");
	write_file(p, REC1);
	join(p, sizeof(p), root, "notes.txt");
	write_file(p, "{\"not\":\"json by name\"}");
	join(p, sizeof(p), root, ".hidden");
	make_dir(p);
	join(p, sizeof(p), root, ".hidden/h.json");
	write_file(p, REC1);
	join(p, sizeof(p), root, "fifo.json");
	assert_int_equal(mkfifo(p, 0600), 0);
	join(p, sizeof(p), root, "link.json");
	assert_int_equal(symlink("z.json", p), 0);
	join(p, sizeof(p), root, "b");
	make_dir(p);
	join(p, sizeof(p), root, "b/v.json");
	write_file(p, REC2);
	join(p, sizeof(p), root, "b/data.JSON");
	write_file(p, REC2);
	join(p, sizeof(p), root, "a");
	make_dir(p);
	join(p, sizeof(p), root, "a/linkdir");
	assert_int_equal(symlink("../b", p), 0);
	join(p, sizeof(p), root, "a/y.json");
	write_file(p, REC2);
	join(p, sizeof(p), root, "a/.x.json");
	write_file(p, REC2);
	join(p, sizeof(p), root, "a/b");
	make_dir(p);
	join(p, sizeof(p), root, "a/b/x.json");
	write_file(p, REC3);
	join(p, sizeof(p), root, "a/b/c");
	make_dir(p);
	join(p, sizeof(p), root, "a/b/c/w.json");
	write_file(p, REC1);
}

static void test_dir_tree(void **state)
{
	static const char *order[] = {"a/b/c/w.json", "a/b/x.json", "a/y.json", "b/v.json", "z.json"};
	char root[256], want[600], slashed[300];
	struct recorder r;
	struct sg_error err;
	long long n;
	int run, i;

	(void)state;
	make_tree(root, sizeof(root));
	/* Twice, and once with a trailing slash: the same records in the
	 * same (sorted, depth-first) order. */
	for (run = 0; run < 3; run++) {
		snprintf(slashed, sizeof(slashed), "%s/", root);
		memset(&r, 0, sizeof(r));
		assert_int_equal(read_source(run == 2 ? slashed : root, &r, &n, &err), 0);
		assert_int_equal(n, 5);
		assert_int_equal(r.n, 5);
		for (i = 0; i < 5; i++) {
			snprintf(want, sizeof(want), "%s/%s", root, order[i]);
			assert_string_equal(r.where[i], want);
		}
		assert_string_equal(r.data[2], REC2);
		assert_string_equal(r.data[4], REC1);
	}
}

static void make_chain(char *p, size_t size, const char *root, int levels)
{
	int i;
	size_t len;

	snprintf(p, size, "%s", root);
	for (i = 0; i < levels; i++) {
		len = strlen(p);
		snprintf(p + len, size - len, "/d%d", i);
		make_dir(p);
	}
	len = strlen(p);
	snprintf(p + len, size - len, "/deep.json");
	write_file(p, REC1);
}

static void test_dir_depth_limit(void **state)
{
	char root[256], p[1024];
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("deep-ok", root, sizeof(root));
	make_dir(root);
	make_chain(p, sizeof(p), root, SG_VULNDB_MAX_DIR_DEPTH);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(root, &r, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.where[0], p);

	temp_path("deep-bad", root, sizeof(root));
	make_dir(root);
	make_chain(p, sizeof(p), root, SG_VULNDB_MAX_DIR_DEPTH + 1);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(root, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(r.calls, 0);
}

/* A file over the cap (sparse: no 17 MiB written) is refused by name. */
static void test_dir_file_over_cap(void **state)
{
	char root[256], p[512];
	struct recorder r;
	struct sg_error err;
	long long n;
	int fd;

	(void)state;
	temp_path("bigdir", root, sizeof(root));
	make_dir(root);
	join(p, sizeof(p), root, "a.json");
	write_file(p, REC1);
	join(p, sizeof(p), root, "big.json");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)SG_OSV_MAX_RECORD_BYTES + 1), 0);
	close(fd);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(root, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_string_equal(err.where, p);
	assert_int_equal(r.calls, 1);

	/* Given by itself, the same. Exactly at the cap is fine. */
	assert_int_equal(read_source(p, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(truncate(p, (off_t)SG_OSV_MAX_RECORD_BYTES), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(p, &r, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r.len[0], SG_OSV_MAX_RECORD_BYTES);
}

static void test_single_file(void **state)
{
	char p[256];
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("GHSA-1111-2222-3333.json", p, sizeof(p));
	write_file(p, REC1);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(p, &r, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.where[0], p);
	assert_string_equal(r.data[0], REC1);
	assert_int_equal(r.len[0], strlen(REC1));

	/* A file named explicitly is read whatever its name. */
	temp_path("record.osv", p, sizeof(p));
	write_file(p, REC2);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(p, &r, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.data[0], REC2);

	/* An empty file is handed over as it is (the OSV reader refuses it). */
	temp_path("empty.json", p, sizeof(p));
	write_file(p, "");
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(p, &r, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r.len[0], 0);
}

static void test_missing_path(void **state)
{
	char p[256];
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("no-such-thing.zip", p, sizeof(p));
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(p, &r, &n, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_OPEN);
	assert_string_equal(err.where, p);
	assert_int_equal(n, 0);
}

/* A FIFO given by name is refused at once (it would block a reader). */
static void test_fifo_path(void **state)
{
	char p[256];
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	temp_path("pipe.json", p, sizeof(p));
	assert_int_equal(mkfifo(p, 0600), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_source(p, &r, &n, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_OPEN);
	assert_string_equal(err.where, p);
	assert_int_equal(r.calls, 0);
}

static void test_dir_callback_stops(void **state)
{
	char root[256], want[600];
	struct recorder r;
	struct sg_error err;
	long long n;

	(void)state;
	make_tree(root, sizeof(root));
	memset(&r, 0, sizeof(r));
	r.stop_at = 3;
	assert_int_equal(read_source(root, &r, &n, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_OSV_INVALID);
	assert_int_equal(n, 3);
	assert_int_equal(r.calls, 3);
	snprintf(want, sizeof(want), "%s/a/y.json", root);
	assert_string_equal(err.where, want);
}

/* ---- the real corpus ---- */

static long long corpus_expected;

/* What the walk should find, counted independently: regular *.json files
 * (links not followed), none under a hidden name. */
static int count_json(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode) && len > 5 && strcmp(path + len - 5, ".json") == 0 &&
	    !strstr(path + strlen(CORPUS), "/."))
		corpus_expected++;
	return 0;
}

static void test_corpus(void **state)
{
	struct recorder r;
	struct sg_error err;
	long long n;
	int rc;

	(void)state;
	corpus_expected = 0;
	assert_int_equal(nftw(CORPUS, count_json, 16, FTW_PHYS), 0);
	/* find ../shared/corpus/osv -name '*.json' -type f | wc -l: 556 today. */
	assert_true(corpus_expected >= 500);
	memset(&r, 0, sizeof(r));
	rc = read_source(CORPUS, &r, &n, &err);
	if (rc)
		fail_msg("%s: %s: %s", err.where, sg_diag_id(err.diag), err.message);
	assert_int_equal(n, corpus_expected);
	assert_int_equal(r.calls, corpus_expected);
	/* Every one is a JSON object, handed over whole. */
	assert_int_equal(r.not_json, 0);
}

/* ---- allocation failures ---- */

static void test_alloc_failures(void **state)
{
	char root[256], zip[256];
	const char *paths[2];
	struct zent z[] = {{.name = "d/a.json", .data = REC1}, {.name = "b.json", .data = REC2}};
	unsigned long k;
	int which;

	(void)state;
	make_tree(root, sizeof(root));
	temp_path("alloc.zip", zip, sizeof(zip));
	make_zip(zip, z, 2);
	paths[0] = root;
	paths[1] = zip;
	for (which = 0; which < 2; which++) {
		int ok = 0, failed = 0;

		for (k = 1; k <= 200 && ok < 3; k++) {
			struct recorder r;
			struct sg_error err;
			long long n;
			int rc;

			memset(&r, 0, sizeof(r));
			sg_alloc_fail_after(k);
			rc = read_source(paths[which], &r, &n, &err);
			sg_alloc_fail_after(0);
			if (rc == 0) {
				ok++;
				assert_int_equal(n, which ? 2 : 5);
				continue;
			}
			failed++;
			if (rc != SG_ENOMEM || err.diag != SG_DIAG_NO_MEMORY)
				fail_msg("%s k=%lu: %d %s: %s", paths[which], k, rc, sg_diag_id(err.diag),
					 err.message);
		}
		assert_int_equal(ok, 3);
		assert_true(failed > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip_nested),
		cmocka_unit_test(test_zip_by_magic),
		cmocka_unit_test(test_zip_empty_archive),
		cmocka_unit_test(test_zip_unsafe_names),
		cmocka_unit_test(test_zip_odd_but_safe_names),
		cmocka_unit_test(test_zip_symlink_entry),
		cmocka_unit_test(test_zip_encrypted_entry),
		cmocka_unit_test(test_zip_bomb_one_entry),
		cmocka_unit_test(test_zip_bomb_many_entries),
		cmocka_unit_test(test_zip_bomb_behind_data),
		cmocka_unit_test(test_zip_entry_over_cap),
		cmocka_unit_test(test_zip_header_lies_small),
		cmocka_unit_test(test_zip_header_lies_within_cap),
		cmocka_unit_test(test_zip_truncated),
		cmocka_unit_test(test_zip_corrupt),
		cmocka_unit_test(test_zip_not_a_zip),
		cmocka_unit_test(test_zip_callback_stops),
		cmocka_unit_test(test_dir_tree),
		cmocka_unit_test(test_dir_depth_limit),
		cmocka_unit_test(test_dir_file_over_cap),
		cmocka_unit_test(test_single_file),
		cmocka_unit_test(test_missing_path),
		cmocka_unit_test(test_fifo_path),
		cmocka_unit_test(test_dir_callback_stops),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
