/* mask.h - no diagnostic shows a secret.
 *
 * A diagnostic is masked as it is made, before any printer sees it, so that every
 * output format (text, json, sarif, github and any added later) is safe by
 * construction. Masked with ********: the document's secret values (secrets.h) in the
 * source line, found there by position (quotes, escapes and a window cutting the
 * line included) and as text, and as text in the message and the hint; and, for
 * diagnostics made before a document exists (YAML errors, duplicate keys), the values
 * the source line's own text, and the lines around it, put under a secret's name. */
#ifndef SPARKC_MASK_H
#define SPARKC_MASK_H

#include "diag.h"

void mask_diag(struct diag *g, const struct diag_src *src);
/* Mask again d's diagnostics from index from on, once src knows the document's secrets:
 * those the loader made while reading it (a tag's error, a duplicate key) were masked
 * before the document, and its secrets, existed. */
void mask_diags_since(struct diags *d, size_t from, const struct diag_src *src);

#endif
