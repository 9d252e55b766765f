/* udiff.h - a unified diff (the `diff -u` format that patch and git apply read) of two
 * texts, for `compile --diff`. */
#ifndef SPARKC_UDIFF_H
#define SPARKC_UDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The diff from old to new under the names given ("/dev/null" for a side that does not
 * exist, with len 0); nothing when the texts are equal. color: git's colours. */
void udiff_write(FILE *out, const char *old_name, const char *old, size_t old_len,
		 const char *new_name, const char *new, size_t new_len, bool color);

#endif
