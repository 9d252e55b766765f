/* version.h - the release: its number, printed by --version and written into SARIF, and
 * the project's home, the one place both are set (tools/dist.sh and the GitHub Action
 * read the number from here).
 *
 * SPARKC_REPOSITORY is where the project is published: `sparkc --help` names it,
 * SARIF's tool.driver.informationUri is it, and each rule's helpUri is its
 * docs/rules.md at the release's tag, vVERSION (rules.h). A release build sets it to
 * the repository the release is published from (the README's OWNER/sparkc stands for
 * it; tests/dist.py checks that the two agree); a build for another home may pass
 * -DSPARKC_REPOSITORY='"https://..."' instead. */
#ifndef SPARKC_VERSION
#define SPARKC_VERSION "0.1.0"
#endif
#ifndef SPARKC_REPOSITORY
#define SPARKC_REPOSITORY "https://github.com/OWNER/sparkc"
#endif
