/* suggest.h - "did you mean": the nearest known word to a mistyped one, and the hint
 * that offers it. One home for the schema's keys and enums, volume names, krm's keys
 * and spark_conf keys. */
#ifndef SPARKC_SUGGEST_H
#define SPARKC_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

/* The closest of candidates to word by edit distance (a swap of two neighbours is one
 * edit), or NULL if none is close: within 2 edits, a third of the word's length for
 * words of 6 or more. */
const char *closest_word(const char *word, const char *const *candidates, size_t n);

/* The Levenshtein distance between a[0..n) and b[0..m), or limit + 1 when it is more;
 * fast when most candidates are far (the registry's 1,400 spark_conf keys). */
size_t edit_distance_within(const char *a, size_t n, const char *b, size_t m, size_t limit);

/* The hint "did you mean 'near'?" (quoted) or "did you mean near?" (a spark_conf key,
 * written bare) into buf; NULL, buf untouched, when near is NULL. */
const char *did_you_mean(char *buf, size_t len, const char *near, bool quoted);

/* The word a did_you_mean hint offers, into buf; NULL when hint is no such hint (the
 * editor's quick fix replaces the diagnostic's word with it). */
const char *did_you_mean_word(const char *hint, char *buf, size_t len);

#endif
