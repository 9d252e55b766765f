/* jobnames.h - the namespace/name pairs a run has compiled, and where each was defined.
 *
 * Two jobs with the same namespace and name would be the same Kubernetes object (and,
 * under -o, the same file): the later one is an input error naming the first's
 * position. The pairs are gathered as the jobs go by and compared once at the end of
 * the run (a sort, O(n log n)), which is soon enough since nothing is written before
 * then. */
#ifndef SPARKC_JOBNAMES_H
#define SPARKC_JOBNAMES_H

#include <stddef.h>

struct jobnames;

struct job_origin {
	const char *file;       /* as diagnostics show it; must outlive the set */
	int line, col;
};

struct jobnames *jobnames_new(void);
void jobnames_add(struct jobnames *set, const char *ns, const char *name, struct job_origin at);
/* Each job defined again: fn(second, first, arg), in the order of the seconds. Returns
 * how many. */
size_t jobnames_duplicates(struct jobnames *set,
			   void (*fn)(const struct job_origin *again, const struct job_origin *first, void *arg),
			   void *arg);
void jobnames_free(struct jobnames *set);

#endif
