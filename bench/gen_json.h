/*
 * What the benchmark's generators (gen_osv, gen_sbom) share: a small
 * pretty-printing JSON writer into a block buffer, and a deterministic
 * PRNG (splitmix64). Header-only, libc only, so that each generator stays
 * one compile command (bench/sca.sh).
 */
#ifndef BENCH_GEN_JSON_H
#define BENCH_GEN_JSON_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GEN_JSON_MAX_DEPTH 40

/* ------------------------------------------------------------------ */
/* output: a small JSON writer into a block buffer                     */
/* ------------------------------------------------------------------ */

struct out {
	FILE *f;
	char *buf;
	size_t len;
	int failed;
	int depth;
	int after_key;
	unsigned char first[GEN_JSON_MAX_DEPTH];
	size_t cap;       /* bytes buffered before a write */
	const char *tool; /* names the generator in errors */
};

static inline void out_flush(struct out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = 1;
	o->len = 0;
}

static inline void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		out_flush(o);
		if (n > o->cap) {
			if (fwrite(s, 1, n, o->f) != n)
				o->failed = 1;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void put_c(struct out *o, char c)
{
	if (o->len == o->cap)
		out_flush(o);
	o->buf[o->len++] = c;
}

static inline void put_s(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static inline void put_escaped(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put_c(o, '"');
	for (;; s++) {
		unsigned char c = (unsigned char)*s;
		char u[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(o, run, (size_t)(s - run));
		if (c == 0)
			break;
		if (c == '"' || c == '\\') {
			put_c(o, '\\');
			put_c(o, (char)c);
		} else if (c == '\n') {
			put(o, "\\n", 2);
		} else {
			u[0] = '\\';
			u[1] = 'u';
			u[2] = '0';
			u[3] = '0';
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			put(o, u, sizeof u);
		}
		run = s + 1;
	}
	put_c(o, '"');
}

/* Two spaces, as osv.dev's exports and syft's CycloneDX are indented. */
static inline void newline(struct out *o)
{
	int i;

	put_c(o, '\n');
	for (i = 0; i < o->depth; i++)
		put(o, "  ", 2);
}

static inline void member_start(struct out *o)
{
	if (o->depth > 0) {
		if (!o->first[o->depth])
			put_c(o, ',');
		o->first[o->depth] = 0;
	}
	newline(o);
}

static inline void value_start(struct out *o)
{
	if (o->after_key) {
		o->after_key = 0;
		return;
	}
	if (o->depth > 0)
		member_start(o);
}

static inline void open_c(struct out *o, char c)
{
	value_start(o);
	put_c(o, c);
	if (o->depth + 1 >= GEN_JSON_MAX_DEPTH) {
		fprintf(stderr, "%s: nesting too deep\n", o->tool);
		exit(2);
	}
	o->depth++;
	o->first[o->depth] = 1;
}

static inline void close_c(struct out *o, char c)
{
	int empty = o->first[o->depth];

	o->depth--;
	if (!empty)
		newline(o);
	put_c(o, c);
}

static inline void obj(struct out *o) { open_c(o, '{'); }
static inline void obj_end(struct out *o) { close_c(o, '}'); }
static inline void arr(struct out *o) { open_c(o, '['); }
static inline void arr_end(struct out *o) { close_c(o, ']'); }

static inline void key(struct out *o, const char *k)
{
	member_start(o);
	put_c(o, '"');
	put_s(o, k);
	put(o, "\": ", 3);
	o->after_key = 1;
}

static inline void str(struct out *o, const char *s)
{
	value_start(o);
	put_escaped(o, s);
}

static inline void raw(struct out *o, const char *s)
{
	value_start(o);
	put_s(o, s);
}

static inline void kv_str(struct out *o, const char *k, const char *v)
{
	key(o, k);
	str(o, v);
}

static inline void kv_raw(struct out *o, const char *k, const char *v)
{
	key(o, k);
	put_s(o, v);
}

/* ------------------------------------------------------------------ */
/* randomness                                                          */
/* ------------------------------------------------------------------ */

static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return mix64(r->s);
}

static inline unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)(((rng_next(r) >> 32) * n) >> 32);
}

/* percent chance */
static inline int chance(struct rng *r, unsigned pct)
{
	return below(r, 100) < pct;
}

static inline double unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
