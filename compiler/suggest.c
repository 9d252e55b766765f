/* suggest.c - see suggest.h. */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* Damerau-Levenshtein (a swap of neighbours is one edit) for words up to 64 bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			/* a swap of two neighbours counts as one edit */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *closest_word(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	size_t limit = len < 6 ? 2 : len / 3 + 1;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, candidates[i]);
		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* A common prefix and suffix cost nothing, and only the band of cells within limit of
 * the diagonal can stay within it, so a candidate is usually rejected after a few
 * characters. */
size_t edit_distance_within(const char *a, size_t n, const char *b, size_t m, size_t limit)
{
	const size_t over = limit + 1;
	if ((n > m ? n - m : m - n) > limit)
		return over;
	while (n && m && *a == *b)
		a++, b++, n--, m--;
	while (n && m && a[n - 1] == b[m - 1])
		n--, m--;
	if (m >= 256)
		return over;
	if (!n || !m)
		return n + m;
	/* row i reads cells up to i + limit, each set by the row before (row[hi + 1]):
	 * the first row needs those up to limit + 1 */
	size_t row[257];
	for (size_t j = 0; j <= m && j <= limit + 1; j++)
		row[j] = j <= limit ? j : over;
	for (size_t i = 1; i <= n; i++) {
		size_t lo = i > limit ? i - limit : 1, hi = i + limit < m ? i + limit : m;
		size_t diag = row[lo - 1];
		row[lo - 1] = lo == 1 ? i : over;
		size_t best = row[lo - 1];
		for (size_t j = lo; j <= hi; j++) {
			size_t up = row[j], cur = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < cur)
				cur = up + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur < over ? cur : over;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (hi < m)
			row[hi + 1] = over;
		if (best > limit)
			return over;
	}
	return row[m];
}

const char *did_you_mean(char *buf, size_t len, const char *near, bool quoted)
{
	if (!near)
		return NULL;
	snprintf(buf, len, quoted ? "did you mean '%s'?" : "did you mean %s?", near);
	return buf;
}

const char *did_you_mean_word(const char *hint, char *buf, size_t len)
{
	static const char prefix[] = "did you mean ";
	size_t n = hint ? strlen(hint) : 0;
	if (n < sizeof prefix + 1 || strncmp(hint, prefix, sizeof prefix - 1) || hint[n - 1] != '?')
		return NULL;
	const char *word = hint + sizeof prefix - 1;
	size_t wlen = n - (sizeof prefix - 1) - 1;
	if (wlen >= 2 && word[0] == '\'' && word[wlen - 1] == '\'') {
		word++;
		wlen -= 2;
	}
	if (!wlen || wlen >= len)
		return NULL;
	memcpy(buf, word, wlen);
	buf[wlen] = '\0';
	return buf;
}
