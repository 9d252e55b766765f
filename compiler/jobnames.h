/* jobnames.h - the namespace/name pairs a run has compiled, and where each was first
 * defined.
 *
 * Two jobs with the same namespace and name would be the same Kubernetes object (and,
 * under -o, the same file): the second is an input error naming the first's position.
 * Lookups and inserts are O(log n), so a run of 100,000 jobs stays O(n log n). */
#ifndef SPARKC_JOBNAMES_H
#define SPARKC_JOBNAMES_H

struct jobnames;

struct job_origin {
	const char *file;       /* as diagnostics show it; must outlive the set */
	int line, col;
};

struct jobnames *jobnames_new(void);
/* Record namespace/name at origin. NULL if it is new; else where it was first seen. */
const struct job_origin *jobnames_add(struct jobnames *set, const char *ns, const char *name,
				      struct job_origin origin);
void jobnames_free(struct jobnames *set);

#endif
