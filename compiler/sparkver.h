/* sparkver.h - Spark version strings: the version an image tag names, and the order
 * of two versions, which sizing, lowering and the configuration registry follow. */
#ifndef SPARKC_SPARKVER_H
#define SPARKC_SPARKVER_H

#include <stdbool.h>
#include <stddef.h>

/* The Spark version an image reference's tag names ("3.5.5", "v3.4.1", "3.5.5-b697",
 * "spark-3.5.1-python3"), into buf; false when it names none. A bare version tag
 * counts only for a repository whose name says spark, so that python:3.9 is no Spark. */
bool image_tag_spark_version(const char *image, char *buf, size_t len);

/* Compare dotted versions numerically ("3.2.10" > "3.2.3"); missing parts are 0.
 * Returns <0, 0 or >0 as a is before, the same as or after b. */
int version_compare(const char *a, const char *b);

#endif
