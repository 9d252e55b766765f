/* sha256.h - SHA-256 (FIPS 180-4) of a byte buffer: the content hash -o records in its
 * index for each file it writes, so that a later run replaces or removes a file only
 * while its bytes are still the ones written. */
#ifndef SPARKC_SHA256_H
#define SPARKC_SHA256_H

#include <stddef.h>

#define SHA256_BYTES 32
#define SHA256_HEX 64   /* hex digits of a digest */

/* The digest of p[0, n). */
void sha256(const void *p, size_t n, unsigned char digest[SHA256_BYTES]);
/* A digest as 64 lower-case hex digits and a NUL. */
void sha256_hex(const unsigned char digest[SHA256_BYTES], char hex[SHA256_HEX + 1]);

#endif
