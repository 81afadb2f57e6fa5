/*
 * Where OSV records come from (vulndb_source.h): a directory tree, one file,
 * or a zip archive, handed to the callback one record at a time.
 *
 * Zip archives are read with libarchive (Debian's libarchive13): a reader
 * maintained for two decades, fuzzed continuously (OSS-Fuzz) and patched by
 * Debian's security team, whose archive_read_data() hands out one entry's
 * bytes at a time. So an archive is read straight from its file descriptor,
 * entry by entry, into one bounded buffer: nothing is extracted to disk and
 * there is no zip parser of our own to get wrong. Only the zip format is
 * enabled, and no outer compression filter, so a file named .zip cannot bring
 * in a tar, a cpio or a gzip stream.
 *
 * libarchive decodes; every decision about what is safe is made here, on what
 * libarchive reports: names, entry types, encryption, and the bytes that
 * actually come out (never the sizes the headers declare). One cost is
 * libarchive's: its seekable zip reader first reads the whole central
 * directory and keeps a small record (about 150 bytes) per entry, before
 * SG_VULNDB_MAX_ENTRIES can be checked; that count is bounded by the
 * archive's own size (a central directory entry takes at least 46 bytes).
 */
#include "sca/vulndb_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/utf8.h"

/* Bytes read per step from a file or an archive entry. */
#define CHUNK_BYTES (64U << 10)

/* The ratio is judged once this much has come out of an archive: before
 * that, a few small entries after a large local header could look like a
 * bomb, and a real bomb has produced nothing harmful yet. */
#define RATIO_GRACE_BYTES (1ULL << 20)

/* Entry and file names quoted in messages are cut to this many bytes. */
#define QUOTE_BYTES 160

struct source {
	sg_vulndb_record_cb cb;
	void *ctx;
	long long *n_files;
	struct sg_error *err;
	struct sg_buf record;     /* one record's bytes */
	struct sg_buf where;      /* the name handed to cb; in a walk, the current path */
	char *chunk;              /* CHUNK_BYTES */
	long long n_entries;      /* directory entries or archive entries seen */
	unsigned long long unpacked; /* bytes that came out of the archive */
	unsigned long long entry_unpacked; /* ... out of the current entry */
	long long entry_start;    /* archive position where the entry's data starts */
};

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && memcmp(name + n - k, suffix, k) == 0;
}

/* s, made printable for a message: control bytes, quotes, backslashes and
 * bytes that are not UTF-8 escaped as \xNN; cut (with "...") to fit. */
static const char *quote(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, len = strlen(s), i = 0, n, need;
	int esc;

	while (i < len) {
		n = p[i] < 0x80 ? 1 : sg_utf8_char_length(p + i, len - i);
		esc = n == 0 || p[i] < 0x20 || p[i] == 0x7f || p[i] == '"' || p[i] == '\\';
		need = esc ? 4 : n;
		if (o + need + 4 > size) /* room for "..." and the NUL */
			break;
		if (esc) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", p[i]);
			i++;
		} else {
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
		}
	}
	if (i < len)
		o += (size_t)snprintf(out + o, size - o, "...");
	out[o] = '\0';
	return out;
}

/*
 * Why an archive entry's name is unsafe, or NULL. Nothing is extracted, so
 * such a name could do no harm here; but it only appears in a crafted
 * archive (zip-slip), and the name reaches messages and the store as the
 * record's origin. libarchive cuts a name at a NUL byte, so what follows one
 * is never seen.
 */
static const char *unsafe_name(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len = strlen(name), i = 0, n;
	const char *seg, *end;

	if (len == 0)
		return "the name is empty";
	if (name[0] == '/')
		return "an absolute path";
	if (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':')
		return "a drive letter";
	while (i < len) {
		if (p[i] == '\\')
			return "a backslash";
		if (p[i] < 0x20 || p[i] == 0x7f)
			return "a control character";
		n = p[i] < 0x80 ? 1 : sg_utf8_char_length(p + i, len - i);
		if (n == 0)
			return "not UTF-8";
		i += n;
	}
	for (seg = name;; seg = end + 1) {
		end = strchr(seg, '/');
		if (!end)
			end = name + len;
		if (end - seg == 2 && seg[0] == '.' && seg[1] == '.')
			return "a \"..\" segment";
		if (*end == '\0')
			break;
	}
	return NULL;
}

static int no_memory(struct source *s)
{
	return sg_error_set(s->err, SG_DIAG_NO_MEMORY, "out of memory");
}

static int hand_over(struct source *s, const char *where)
{
	int rc;

	(*s->n_files)++;
	rc = s->cb(s->ctx, where, s->record.data, s->record.len, s->err);
	if (rc)
		sg_error_where(s->err, where);
	return rc;
}

/* Append n bytes of a record; the record's limit holds whatever a header said. */
static int add_record_bytes(struct source *s, const char *where, size_t n)
{
	if (n > SG_OSV_MAX_RECORD_BYTES - s->record.len) {
		sg_error_where(s->err, where);
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED, "record is larger than %u bytes",
				    SG_OSV_MAX_RECORD_BYTES);
	}
	if (sg_buf_add(&s->record, s->chunk, n) != 0)
		return no_memory(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* one file                                                            */

/* fd: opened with O_NONBLOCK, so that a FIFO swapped in did not hang the open. */
static int read_file(struct source *s, int fd, const char *where)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		sg_error_where(s->err, where);
		return sg_error_set(s->err, SG_DIAG_FILE_OPEN, "not a regular file");
	}
	if (st.st_size > (off_t)SG_OSV_MAX_RECORD_BYTES) {
		sg_error_where(s->err, where);
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED, "file is larger than %u bytes",
				    SG_OSV_MAX_RECORD_BYTES);
	}
	sg_buf_reset(&s->record);
	for (;;) {
		/* Flawfinder: ignore (bounded by the chunk's size) */
		n = read(fd, s->chunk, CHUNK_BYTES);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sg_error_where(s->err, where);
			return sg_error_set(s->err, SG_DIAG_FILE_READ, "cannot read the file: %s",
					    strerror(errno));
		}
		if (n == 0)
			break;
		/* The file may have grown since fstat. */
		if (add_record_bytes(s, where, (size_t)n))
			return s->err->code;
	}
	return hand_over(s, where);
}

/* ------------------------------------------------------------------ */
/* a directory tree                                                    */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sg_free(names[i]);
	sg_free(names);
}

/*
 * The names in dir, sorted bytewise so that records come in the same order
 * on every file system. Hidden names are left out: ".git" and ".github" hold
 * no records (but JSON configuration), and macOS "._x.json" files are
 * metadata, not JSON.
 */
static int list_dir(struct source *s, DIR *dir, char ***out, size_t *n_out)
{
	struct dirent *e;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	int rc = 0;

	for (;;) {
		errno = 0;
		e = readdir(dir);
		if (!e) {
			if (errno) {
				sg_error_where(s->err, s->where.data);
				rc = sg_error_set(s->err, SG_DIAG_FILE_READ, "cannot read the directory: %s",
						  strerror(errno));
				goto out;
			}
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++s->n_entries > SG_VULNDB_MAX_ENTRIES) {
			sg_error_where(s->err, s->where.data);
			rc = sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED,
					  "directory tree has more than %d entries", SG_VULNDB_MAX_ENTRIES);
			goto out;
		}
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = sg_realloc_array(names, cap, sizeof(*names));
			if (!grown) {
				rc = no_memory(s);
				goto out;
			}
			names = grown;
		}
		names[n] = sg_strdup(e->d_name);
		if (!names[n]) {
			rc = no_memory(s);
			goto out;
		}
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
out:
	if (rc) {
		free_names(names, n);
		names = NULL;
		n = 0;
	}
	*out = names;
	*n_out = n;
	return rc;
}

static int walk_dir(struct source *s, int dfd, int depth);

/* One name in a directory; s->where holds its path. */
static int walk_entry(struct source *s, int dfd, const char *name, int depth)
{
	struct stat st;
	int fd, rc;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth >= SG_VULNDB_MAX_DIR_DEPTH) {
			sg_error_where(s->err, s->where.data);
			return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED,
					    "directories nested deeper than %d levels", SG_VULNDB_MAX_DIR_DEPTH);
		}
		/* O_NOFOLLOW: a directory replaced by a link since fstatat is refused. */
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			sg_error_where(s->err, s->where.data);
			return sg_error_set(s->err, SG_DIAG_FILE_OPEN, "cannot open the directory: %s",
					    strerror(errno));
		}
		return walk_dir(s, fd, depth + 1);
	}
	/* Symbolic links are not followed (they could lead out of the tree or
	 * loop); FIFOs, sockets and devices hold no records. */
	if (!S_ISREG(st.st_mode) || !has_suffix(name, ".json"))
		return 0;
	/* Flawfinder: ignore (O_NOFOLLOW and O_NONBLOCK, then fstat: a regular file only) */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
	}
	rc = read_file(s, fd, s->where.data);
	close(fd);
	return rc;
}

/* Takes dfd; s->where holds the directory's path. */
static int walk_dir(struct source *s, int dfd, int depth)
{
	DIR *dir;
	char **names = NULL;
	size_t n = 0, i, base = s->where.len;
	int rc;

	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_FILE_READ, "cannot read the directory: %s",
				    strerror(errno));
	}
	rc = list_dir(s, dir, &names, &n);
	for (i = 0; !rc && i < n; i++) {
		sg_buf_truncate(&s->where, base);
		if (base == 0 || s->where.data[base - 1] != '/')
			sg_buf_addc(&s->where, '/');
		sg_buf_adds(&s->where, names[i]);
		if (sg_buf_error(&s->where)) {
			rc = no_memory(s);
			break;
		}
		rc = walk_entry(s, dirfd(dir), names[i], depth);
	}
	sg_buf_truncate(&s->where, base);
	free_names(names, n);
	closedir(dir);
	return rc;
}

/* ------------------------------------------------------------------ */
/* a zip archive                                                       */

/* A libarchive failure, as our diagnostic: the archive is bad unless the
 * system failed. */
static int archive_failed(struct source *s, struct archive *a, const char *where, const char *what)
{
	const char *msg = archive_error_string(a);
	char text[QUOTE_BYTES], q[QUOTE_BYTES];
	size_t len;
	int e = archive_errno(a);

	sg_error_where(s->err, where);
	if (e == ENOMEM)
		return no_memory(s);
	/* libarchive ends some messages with a newline. */
	snprintf(text, sizeof(text), "%s", msg ? msg : "unknown error");
	len = strlen(text);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	quote(text, q, sizeof(q));
	if (e == EIO)
		return sg_error_set(s->err, SG_DIAG_FILE_READ, "%s: %s", what, q);
	return sg_error_set(s->err, SG_DIAG_ARCHIVE_UNSAFE, "%s: %s", what, q);
}

/* Whether `out` bytes from `in` compressed ones are beyond the ratio. */
static int over_ratio(unsigned long long out, long long in)
{
	return out > RATIO_GRACE_BYTES && out / SG_VULNDB_MAX_RATIO > (unsigned long long)(in < 1 ? 1 : in);
}

/*
 * Count n bytes that came out of the archive. The ratio compares them with
 * the compressed bytes read (libarchive's position in the file), for the
 * archive so far and for the current entry, so a bomb is stopped a little
 * after RATIO_GRACE_BYTES instead of after the SG_VULNDB_MAX_TOTAL_BYTES it
 * could produce, wherever it sits in the archive. Entries that overlap in
 * the file (one compressed block shared by many entries) are caught the same
 * way: the output grows and the position does not.
 */
static int count_unpacked(struct source *s, struct archive *a, size_t n)
{
	long long packed;

	s->unpacked += n;
	s->entry_unpacked += n;
	if (s->unpacked > SG_VULNDB_MAX_TOTAL_BYTES) {
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED,
				    "archive expands to more than %llu bytes", SG_VULNDB_MAX_TOTAL_BYTES);
	}
	if (s->entry_unpacked <= RATIO_GRACE_BYTES && s->unpacked <= RATIO_GRACE_BYTES)
		return 0;
	packed = archive_filter_bytes(a, -1);
	if (over_ratio(s->entry_unpacked, packed - s->entry_start)) {
		sg_error_where(s->err, s->where.data);
		s->err->offset = packed;
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED,
				    "entry expands more than %d times (%llu bytes from %lld): a compression bomb",
				    SG_VULNDB_MAX_RATIO, s->entry_unpacked, packed - s->entry_start);
	}
	if (over_ratio(s->unpacked, packed)) {
		sg_error_where(s->err, s->where.data);
		s->err->offset = packed;
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED,
				    "archive expands more than %d times (%llu bytes from its first %lld): "
				    "a compression bomb",
				    SG_VULNDB_MAX_RATIO, s->unpacked, packed);
	}
	return 0;
}

/* The current entry's data: counted always, kept when keep. */
static int entry_data(struct source *s, struct archive *a, int keep)
{
	la_ssize_t n;
	int rc;

	sg_buf_reset(&s->record);
	s->entry_unpacked = 0;
	s->entry_start = archive_filter_bytes(a, -1);
	for (;;) {
		n = archive_read_data(a, s->chunk, CHUNK_BYTES);
		if (n == 0)
			return 0;
		if (n < 0)
			return archive_failed(s, a, s->where.data, "cannot read the entry");
		if ((rc = count_unpacked(s, a, (size_t)n)) != 0)
			return rc;
		if (keep && (rc = add_record_bytes(s, s->where.data, (size_t)n)) != 0)
			return rc;
	}
}

static int zip_entry(struct source *s, struct archive *a, struct archive_entry *entry, const char *name,
		     const char *path)
{
	const char *why;
	char q[QUOTE_BYTES];
	int keep, rc;

	if (++s->n_entries > SG_VULNDB_MAX_ENTRIES) {
		sg_error_where(s->err, path);
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED, "archive has more than %d entries",
				    SG_VULNDB_MAX_ENTRIES);
	}
	if (!name) {
		sg_error_where(s->err, path);
		return sg_error_set(s->err, SG_DIAG_ARCHIVE_UNSAFE, "entry %lld has no readable name",
				    s->n_entries);
	}
	why = unsafe_name(name);
	if (why) {
		sg_error_where(s->err, path);
		return sg_error_set(s->err, SG_DIAG_ARCHIVE_UNSAFE, "unsafe entry name \"%s\": %s",
				    quote(name, q, sizeof(q)), why);
	}
	sg_buf_reset(&s->where);
	sg_buf_printf(&s->where, "%s:%s", path, name);
	if (sg_buf_error(&s->where))
		return no_memory(s);
	if (archive_entry_filetype(entry) == AE_IFLNK) {
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_ARCHIVE_UNSAFE, "entry is a symbolic link");
	}
	if (archive_entry_is_encrypted(entry)) {
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_ARCHIVE_UNSAFE, "entry is encrypted");
	}
	/* Directories and other entries are skipped, but their data (if any) is
	 * still read and counted: skipping it would let libarchive inflate an
	 * entry of unknown length unmetered. */
	keep = archive_entry_filetype(entry) == AE_IFREG && has_suffix(name, ".json");
	if (keep && archive_entry_size_is_set(entry) &&
	    archive_entry_size(entry) > (la_int64_t)SG_OSV_MAX_RECORD_BYTES) {
		sg_error_where(s->err, s->where.data);
		return sg_error_set(s->err, SG_DIAG_LIMIT_EXCEEDED, "record is larger than %u bytes",
				    SG_OSV_MAX_RECORD_BYTES);
	}
	rc = entry_data(s, a, keep);
	if (rc || !keep)
		return rc;
	return hand_over(s, s->where.data);
}

/*
 * The next header and its name. Names are decoded in a UTF-8 locale, for
 * this thread only and only here: libarchive converts names to the current
 * locale's character set, and in the "C" locale of a program that never
 * called setlocale() every non-ASCII UTF-8 name would fail to convert.
 */
static int next_header(struct archive *a, locale_t names, struct archive_entry **entry,
		       const char **name)
{
	locale_t old = names ? uselocale(names) : (locale_t)0;
	int r = archive_read_next_header(a, entry);

	*name = r == ARCHIVE_OK || r == ARCHIVE_WARN ? archive_entry_pathname(*entry) : NULL;
	if (names)
		uselocale(old);
	return r;
}

/*
 * An archive with no entries is only its end record ("PK\5\6", no entries,
 * maybe a comment). libarchive 3.6's seekable reader does not find an end
 * record at offset 0 (later versions do), so such an archive is recognised
 * here: it holds no records.
 */
static int empty_zip(int fd)
{
	unsigned char h[22];
	struct stat st;

	if (fstat(fd, &st) != 0 || st.st_size < 22 || st.st_size > 22 + 65535 ||
	    pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return 0;
	return memcmp(h, "PK\005\006", 4) == 0 && h[8] == 0 && h[9] == 0 && h[10] == 0 && h[11] == 0 &&
	       (off_t)(h[20] | h[21] << 8) == st.st_size - 22;
}

/*
 * Only libarchive's seekable zip reader is enabled (one half of
 * archive_read_support_format_zip): it reads the central directory, which
 * alone records symbolic links, and checks each local header against it. The
 * other half, the streaming reader, only serves input that cannot seek; on a
 * file it would take over exactly when the central directory cannot be
 * found, which is a truncated or damaged archive, and read it as far as it
 * goes.
 */
static int read_zip(struct source *s, int fd, const char *path)
{
	struct archive *a;
	struct archive_entry *entry;
	locale_t names;
	const char *name;
	char q[QUOTE_BYTES], what[QUOTE_BYTES + 32];
	int r, rc = 0;

	if (empty_zip(fd))
		return 0;
	names = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	a = archive_read_new();
	if (!a) {
		rc = no_memory(s);
		goto out;
	}
	if (archive_read_support_format_zip_seekable(a) != ARCHIVE_OK) {
		rc = archive_failed(s, a, path, "cannot read the archive");
		goto out;
	}
	if (archive_read_open_fd(a, fd, CHUNK_BYTES) != ARCHIVE_OK) {
		rc = archive_failed(s, a, path, "not a readable zip archive");
		goto out;
	}
	for (;;) {
		r = next_header(a, names, &entry, &name);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_WARN) {
			/* The local header disagrees with the central directory,
			 * or the name cannot be decoded: a damaged or crafted
			 * archive, refused rather than guessed at. */
			snprintf(what, sizeof(what), "damaged entry \"%s\"",
				 quote(name ? name : "", q, sizeof(q)));
			rc = archive_failed(s, a, path, what);
			goto out;
		}
		if (r != ARCHIVE_OK) {
			rc = archive_failed(s, a, path, "cannot read the archive");
			goto out;
		}
		rc = zip_entry(s, a, entry, name, path);
		if (rc)
			goto out;
	}
out:
	if (a)
		archive_read_free(a);
	if (names)
		freelocale(names);
	return rc;
}

static int is_zip(int fd, const char *path)
{
	unsigned char magic[4];

	if (has_suffix(path, ".zip"))
		return 1;
	return pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	       memcmp(magic, "PK\003\004", 4) == 0;
}

/* ------------------------------------------------------------------ */

int sg_vulndb_source_read(const char *path, sg_vulndb_record_cb cb, void *ctx, long long *n_files,
			  struct sg_error *err)
{
	struct source s;
	struct stat st;
	size_t len = strlen(path);
	int fd = -1, rc;

	*n_files = 0;
	memset(&s, 0, sizeof(s));
	s.cb = cb;
	s.ctx = ctx;
	s.n_files = n_files;
	s.err = err;
	sg_buf_init(&s.record, SG_OSV_MAX_RECORD_BYTES);
	/* The path, then a zip entry name (at most 65535 bytes) or the
	 * names of a walk (SG_VULNDB_MAX_DIR_DEPTH directories and a file). */
	sg_buf_init(&s.where, len + 2 + 65536 + (SG_VULNDB_MAX_DIR_DEPTH + 1) * (NAME_MAX + 1));
	s.chunk = sg_malloc(CHUNK_BYTES);
	if (!s.chunk) {
		rc = no_memory(&s);
		goto out;
	}
	/* The path the user gave is followed if it is a link; inside a tree
	 * nothing is. O_NONBLOCK: a FIFO must not hang the open; it is
	 * refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		sg_error_where(err, path);
		rc = sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		sg_error_where(err, path);
		rc = sg_error_set(err, SG_DIAG_FILE_READ, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		while (len > 1 && path[len - 1] == '/')
			len--;
		if (sg_buf_add(&s.where, path, len) != 0) {
			rc = no_memory(&s);
			goto out;
		}
		rc = walk_dir(&s, fd, 0);
		fd = -1;
	} else if (S_ISREG(st.st_mode)) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		rc = is_zip(fd, path) ? read_zip(&s, fd, path) : read_file(&s, fd, path);
	} else {
		sg_error_where(err, path);
		rc = sg_error_set(err, SG_DIAG_FILE_OPEN,
				  "not a regular file or a directory (a FIFO or a device is not read)");
	}
out:
	if (fd >= 0)
		close(fd);
	sg_free(s.chunk);
	sg_buf_release(&s.record);
	sg_buf_release(&s.where);
	return rc;
}
